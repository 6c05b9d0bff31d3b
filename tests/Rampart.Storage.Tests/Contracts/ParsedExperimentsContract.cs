using Rampart.Core.Rollouts;

namespace Rampart.Storage.Tests.Contracts;

/// <summary>
/// What every SQL <see cref="IExperimentStore"/> re-reads: only the rows that changed since it last read them (a definition
/// may take megabytes, and every server lists twice a second). An unchanged row gives the very experiment parsed before;
/// a row changed by another store, edited by hand, damaged, mended or deleted is read as a fresh store reads it.
/// </summary>
public abstract class ParsedExperimentsContract : ExperimentStoreTestBase
{
    /// <summary>Runs <paramref name="sql"/> on this test's database underneath the stores (a hand edit); returns the rows it changed.</summary>
    protected abstract int EditByHand(string sql);

    /// <summary>How many parsed experiments <paramref name="store"/> keeps.</summary>
    protected abstract int ParsedCount(IExperimentStore store);

    [Fact]
    public async Task ListAsync_NothingChanged_ReturnsTheExperimentsParsedBefore()
    {
        var sut = CreateStore();
        await CreateRunningAsync(sut, "a-exp");
        await CreateRunningAsync(sut, "b-exp");
        var first = await sut.ListAsync(Ct);

        var second = await sut.ListAsync(Ct);
        var found = await sut.FindAsync("b-exp", Ct);

        Assert.Equal(2, second.Experiments.Count);
        Assert.Same(first.Experiments[0], second.Experiments[0]);
        Assert.Same(first.Experiments[1], second.Experiments[1]);
        Assert.Same(first.Experiments[1], found);
    }

    [Fact]
    public async Task ListAsync_RowUpdatedThroughAnotherStore_ReadsThatRowAgainAndOnlyIt()
    {
        var sut = CreateStore();
        await CreateRunningAsync(sut, "a-exp");
        var running = await CreateRunningAsync(sut, "b-exp");
        var first = await sut.ListAsync(Ct);
        var change = Rollout.Rollback(running, "variant_a", "errors", T0.AddDays(1), "monitor");
        await CreateStore().UpdateAsync(change.Experiment, change.Audit, Ct);

        var second = await sut.ListAsync(Ct);

        Assert.Same(first.Experiments[0], second.Experiments[0]);
        ExperimentAssert.Same(change.Experiment, second.Experiments[1]);
        Assert.Same(second.Experiments[1], await sut.FindAsync("b-exp", Ct));
    }

    [Fact]
    public async Task ListAsync_RowDeletedByHand_LeavesItOutAndForgetsIt()
    {
        var sut = CreateStore();
        await CreateRunningAsync(sut, "a-exp");
        await CreateRunningAsync(sut, "b-exp");
        var first = await sut.ListAsync(Ct);
        Assert.Equal(2, ParsedCount(sut));
        EditByHand("DELETE FROM allocations WHERE experiment = 'b-exp'");
        EditByHand("DELETE FROM audit WHERE experiment = 'b-exp'");
        Assert.Equal(1, EditByHand("DELETE FROM experiments WHERE key = 'b-exp'"));

        var second = await sut.ListAsync(Ct);

        Assert.Same(first.Experiments[0], Assert.Single(second.Experiments));
        Assert.Empty(second.Unreadable);
        Assert.Equal(1, ParsedCount(sut));
        Assert.Null(await sut.FindAsync("b-exp", Ct));
    }

    [Fact]
    public async Task FindAsync_RowDeletedByHand_ReturnsNullAndForgetsIt()
    {
        var sut = CreateStore();
        await CreateRunningAsync(sut, "a-exp");
        Assert.NotNull(await sut.FindAsync("a-exp", Ct));
        EditByHand("DELETE FROM allocations WHERE experiment = 'a-exp'");
        EditByHand("DELETE FROM audit WHERE experiment = 'a-exp'");
        EditByHand("DELETE FROM experiments WHERE key = 'a-exp'");
        Assert.Equal(1, ParsedCount(sut));

        Assert.Null(await sut.FindAsync("a-exp", Ct));
        Assert.Equal(0, ParsedCount(sut));
    }

    [Fact]
    public async Task ListAsync_ReadableRowDamagedByHand_NamesItUnreadableAndKeepsTheOthers()
    {
        var sut = CreateStore();
        await CreateRunningAsync(sut, "a-exp");
        await CreateRunningAsync(sut, "b-exp");
        var first = await sut.ListAsync(Ct);
        Assert.Equal(1, EditByHand("UPDATE experiments SET definition = '{\"key\":\"b-exp\"}' WHERE key = 'b-exp'"));

        var second = await sut.ListAsync(Ct);

        Assert.Same(first.Experiments[0], Assert.Single(second.Experiments));
        var unreadable = Assert.Single(second.Unreadable);
        Assert.Equal("b-exp", unreadable.Key);
        Assert.Contains("its stored definition is refused", unreadable.Reason, StringComparison.Ordinal);
        Assert.Equal(1, ParsedCount(sut));
        await Assert.ThrowsAsync<UnreadableExperimentException>(() => sut.FindAsync("b-exp", Ct));
    }

    [Fact]
    public async Task ListAsync_UnreadableRowMendedByHandToTheSameLength_ReadsItAgain()
    {
        // A row that could not be read is never kept, so a mend is seen whatever it changes: here one letter back, the
        // version and the definition's length unchanged.
        var sut = CreateStore();
        await CreateRunningAsync(sut, "a-exp");
        var running = await CreateRunningAsync(sut, "b-exp");
        Assert.Equal(1, EditByHand("UPDATE experiments SET definition = replace(definition, '\"variants\"', '\"variantz\"') WHERE key = 'b-exp'"));
        var damaged = await sut.ListAsync(Ct);
        Assert.Equal("b-exp", Assert.Single(damaged.Unreadable).Key);
        Assert.Equal(1, EditByHand("UPDATE experiments SET definition = replace(definition, '\"variantz\"', '\"variants\"') WHERE key = 'b-exp'"));

        var mended = await sut.ListAsync(Ct);

        Assert.Empty(mended.Unreadable);
        Assert.Same(damaged.Experiments[0], mended.Experiments[0]);
        ExperimentAssert.Same(running, mended.Experiments[1]);
    }

    [Theory]
    [InlineData("UPDATE experiments SET state = 'paused' WHERE key = 'b-exp'")]
    [InlineData("UPDATE experiments SET winner = 'variant_a' WHERE key = 'b-exp'")]
    [InlineData("UPDATE experiments SET rolled_back = '{\"variant_b\":\"by hand\"}' WHERE key = 'b-exp'")]
    [InlineData("UPDATE experiments SET definition = replace(definition, 'Prompt Optimization v2', 'Edited by hand') WHERE key = 'b-exp'")]
    [InlineData("UPDATE allocations SET ranges = '[{\"variant\":\"control\",\"start\":0,\"end\":10000,\"rolled_back\":false}]' WHERE experiment = 'b-exp'")]
    public async Task ListAsync_RowEditedByHandWithoutAVersionBump_ReadsItAsAFreshStoreDoes(string edit)
    {
        var sut = CreateStore();
        await CreateRunningAsync(sut, "a-exp");
        await CreateRunningAsync(sut, "b-exp");
        var first = await sut.ListAsync(Ct);
        Assert.Equal(1, EditByHand(edit));

        var second = await sut.ListAsync(Ct);

        Assert.Same(first.Experiments[0], second.Experiments[0]);
        Assert.NotSame(first.Experiments[1], second.Experiments[1]);
        ExperimentAssert.Same((await CreateStore().FindAsync("b-exp", Ct))!, second.Experiments[1]);
    }

    [Fact]
    public async Task ListAsync_DefinitionEditedByHandToTheSameLengthWithTheVersionBumped_ReadsTheEdit()
    {
        // The one edit a row's other columns cannot reveal: the documented way to make it seen is to bump the version.
        var sut = CreateStore();
        await CreateRunningAsync(sut, "a-exp");
        await CreateRunningAsync(sut, "b-exp");
        var first = await sut.ListAsync(Ct);
        Assert.Equal(1, EditByHand("UPDATE experiments SET definition = replace(definition, 'Optimization', 'Optimisation'), version = version + 1 WHERE key = 'b-exp'"));

        var second = await sut.ListAsync(Ct);

        Assert.Same(first.Experiments[0], second.Experiments[0]);
        Assert.Equal(("Prompt Optimisation v2", 3L), (second.Experiments[1].Definition.Name, second.Experiments[1].Version));
    }
}
