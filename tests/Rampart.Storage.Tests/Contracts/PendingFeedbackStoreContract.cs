using Rampart.Core.Events;

namespace Rampart.Storage.Tests.Contracts;

/// <summary>What every <see cref="IPendingFeedbackStore"/> must do; every store of one test shares that test's (empty at first) database.</summary>
public abstract class PendingFeedbackStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 10, 0, 0, 123, 456, TimeSpan.Zero);

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A new store over this test's database, as another process would open it.</summary>
    protected abstract IPendingFeedbackStore CreateStore();

    [Fact]
    public async Task ListAsync_AfterAdd_ReturnsEverythingOldestFirst()
    {
        var sut = CreateStore();
        var late = new PendingFeedback("f-2", "r-2", "user_satisfaction", 0, null, T0.AddSeconds(5));
        var early = new PendingFeedback("f-1", "r-1", "user_satisfaction", 0.75, "Très bien 📦", T0);
        await sut.AddAsync(late, Ct);
        await sut.AddAsync(early, Ct);

        Assert.Equal([early, late], await CreateStore().ListAsync(Ct));
    }

    [Fact]
    public async Task AddAsync_SameIdTwice_KeepsTheFirst()
    {
        var sut = CreateStore();
        var first = new PendingFeedback("f-1", "r-1", "user_satisfaction", 1, null, T0);
        await sut.AddAsync(first, Ct);

        await sut.AddAsync(first with { Value = 0 }, Ct);

        Assert.Equal([first], await sut.ListAsync(Ct));
    }

    [Fact]
    public async Task RemoveAsync_ForgetsOnlyTheGivenIds()
    {
        var sut = CreateStore();
        foreach (var i in Enumerable.Range(0, 4))
        {
            await sut.AddAsync(new PendingFeedback($"f-{i}", $"r-{i}", "s", i, null, T0.AddSeconds(i)), Ct);
        }

        await sut.RemoveAsync(["f-1", "f-3", "f-unknown"], Ct);
        await sut.RemoveAsync([], Ct);

        Assert.Equal(["f-0", "f-2"], (await sut.ListAsync(Ct)).Select(f => f.Id));
    }

    [Fact]
    public async Task ExpireAsync_ForgetsAndCountsEachKeptPieceOnce()
    {
        var sut = CreateStore();
        foreach (var i in Enumerable.Range(0, 4))
        {
            await sut.AddAsync(new PendingFeedback($"f-{i}", $"r-{i}", "s", i, null, T0.AddSeconds(i)), Ct);
        }

        var first = await sut.ExpireAsync(["f-0", "f-1", "f-unknown"], Ct);
        var again = await CreateStore().ExpireAsync(["f-1", "f-2"], Ct); // another server expiring what it also kept
        await sut.RemoveAsync(["f-3"], Ct); // joined, not expired
        await sut.ExpireAsync([], Ct);

        Assert.Equal((2, 1), (first, again));
        Assert.Empty(await sut.ListAsync(Ct));
        Assert.Equal(3, await CreateStore().CountExpiredAsync(Ct));
    }

    [Fact]
    public async Task CountExpiredAsync_NothingExpired_IsZero()
    {
        Assert.Equal(0, await CreateStore().CountExpiredAsync(Ct));
    }
}
