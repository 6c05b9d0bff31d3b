using Rampart.Core.Rollouts;

namespace Rampart.Storage.Tests.Contracts;

/// <summary>
/// What every <see cref="IExperimentStore"/> does with a stored experiment it cannot read (a row damaged or edited by hand,
/// or a value this version refuses): listing names it with why and still returns every other one; finding it says so.
/// </summary>
public abstract class UnreadableExperimentContract : ExperimentStoreTestBase
{
    /// <summary>Runs <paramref name="sql"/> on this test's database underneath the stores; returns the rows it changed.</summary>
    protected abstract int Damage(string sql);

    [Theory]
    [InlineData("UPDATE experiments SET definition = '{\"key\":\"b-exp\"}' WHERE key = 'b-exp'", "its stored definition is refused")]
    [InlineData("UPDATE experiments SET definition = 'not json' WHERE key = 'b-exp'", "not valid JSON")]
    [InlineData("UPDATE experiments SET rolled_back = '{' WHERE key = 'b-exp'", "")]
    [InlineData("UPDATE allocations SET ranges = '[]' WHERE experiment = 'b-exp'", "")]
    [InlineData("DELETE FROM allocations WHERE experiment = 'b-exp'", "stored history is damaged")]
    public async Task ListAsync_OneRowDamaged_ListsEveryOtherAndNamesItWithWhy(string damage, string why)
    {
        var sut = CreateStore();
        var running = await CreateRunningAsync(sut, "a-exp");
        await CreateRunningAsync(sut, "b-exp");
        var draft = Draft("c-exp");
        await sut.CreateAsync(draft, Rollout.Created(draft, "cli"), Ct);
        Assert.True(Damage(damage) > 0);

        var listed = await CreateStore().ListAsync(Ct);

        Assert.Equal(["a-exp", "c-exp"], listed.Experiments.Select(e => e.Key));
        ExperimentAssert.Same(running, listed.Experiments[0]);
        ExperimentAssert.Same(draft, listed.Experiments[1]);
        var unreadable = Assert.Single(listed.Unreadable);
        Assert.Equal("b-exp", unreadable.Key);
        Assert.Contains(why, unreadable.Reason, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(unreadable.Reason));
        Assert.DoesNotContain('\n', unreadable.Reason);
    }

    [Fact]
    public async Task ListAsync_EveryRowDamaged_ListsNoneAndNamesEachByKey()
    {
        var sut = CreateStore();
        await CreateRunningAsync(sut, "b-exp");
        await CreateRunningAsync(sut, "a-exp");
        Assert.Equal(2, Damage("UPDATE experiments SET definition = '[]'"));

        var listed = await CreateStore().ListAsync(Ct);

        Assert.Empty(listed.Experiments);
        Assert.Equal(["a-exp", "b-exp"], listed.Unreadable.Select(u => u.Key));
    }

    [Fact]
    public async Task FindAsync_RowDamaged_ThrowsNamingTheKeyAndWhyAndTheOthersAreStillFound()
    {
        var sut = CreateStore();
        var running = await CreateRunningAsync(sut, "a-exp");
        await CreateRunningAsync(sut, "b-exp");
        Assert.Equal(1, Damage("UPDATE experiments SET definition = '{\"key\":\"b-exp\"}' WHERE key = 'b-exp'"));

        var e = await Assert.ThrowsAsync<UnreadableExperimentException>(() => CreateStore().FindAsync("b-exp", Ct));

        Assert.Equal("b-exp", e.Key);
        Assert.StartsWith("Experiment 'b-exp' is stored but cannot be read: its stored definition is refused: ", e.Message, StringComparison.Ordinal);
        ExperimentAssert.Same(running, await CreateStore().FindAsync("a-exp", Ct));
    }
}
