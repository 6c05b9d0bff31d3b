using Rampart.Core.Events;

namespace Rampart.Storage.Tests.Contracts;

/// <summary>
/// What every <see cref="IEventFeed"/> must do: every stored event once, in order, to a reader that resumes after the
/// last position it saw, however many writers append at once. A backend's test class supplies stores and feeds; all
/// of one test share that test's (empty at first) database, each opened as another process would.
/// </summary>
public abstract class EventFeedContract
{
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A new store and feed over this test's database.</summary>
    protected abstract (IEventStore Store, IEventFeed Feed) Open();

    /// <summary>Whether the store numbers events 1, 2, 3… with no gap left by duplicates (PostgreSQL; SQLite's ids may skip).</summary>
    protected virtual bool NumbersWithoutGaps => false;

    [Fact]
    public async Task ReadAfterAsync_FromZero_ReturnsEveryEventInStoredOrderWithRisingPositions()
    {
        var (store, sut) = Open();
        await store.AppendAsync(TestEvents.Exposures(3, "a"), Ct);
        await store.AppendAsync([TestEvents.Completion("user-9", "c-1"), TestEvents.Exposure("user-1", "a-0")], Ct);

        var read = await sut.ReadAfterAsync(0, 100, Ct);

        Assert.Equal(["a-0", "a-1", "a-2", "c-1"], read.Select(e => e.Event.Id));
        // Every field but the logged content, which a follower never needs (IEventFeed).
        Assert.Equal(TestEvents.Completion("user-9", "c-1") with { Input = null, Output = null, Extra = null }, read[3].Event);
        Assert.True(read.Zip(read.Skip(1)).All(p => p.First.Position < p.Second.Position));
        Assert.Empty(await sut.ReadAfterAsync(read[^1].Position, 100, Ct));
    }

    [Fact]
    public async Task ReadAfterAsync_Feedback_KeepsItsScoreAndValueButNotItsComment()
    {
        var (store, sut) = Open();
        await store.AppendAsync([TestEvents.Feedback("user-3", "f-1")], Ct);

        var read = Assert.Single(await sut.ReadAfterAsync(0, 100, Ct));

        Assert.Equal(TestEvents.Feedback("user-3", "f-1") with { Comment = null }, read.Event);
    }

    [Fact]
    public async Task ReadAfterAsync_InPages_ResumesWithoutGapOrRepeat()
    {
        var (store, sut) = Open();
        await store.AppendAsync(TestEvents.Exposures(25), Ct);

        var ids = new List<string>();
        var position = 0L;
        while (await sut.ReadAfterAsync(position, 7, Ct) is { Count: > 0 } page)
        {
            Assert.True(page.Count <= 7);
            ids.AddRange(page.Select(e => e.Event.Id!));
            position = page[^1].Position;
        }

        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"e-{i}"), ids);
    }

    [Fact]
    public async Task FindCompletionAsync_ReturnsTheFirstCompletionWithTheRequestId()
    {
        var (store, sut) = Open();
        var feedback = TestEvents.Feedback("user-1", "f-1");
        var first = TestEvents.Completion("user-1", "c-1");
        await store.AppendAsync([feedback, first, first with { Id = "c-2", Unit = "user-2" }], Ct);

        Assert.Equal(first, await sut.FindCompletionAsync("r-1", Ct));
        Assert.Null(await sut.FindCompletionAsync("r-unknown", Ct));
    }

    [Fact]
    public async Task ReadAfterAsync_FollowingWhileFourStoresAppend_SeesEveryEventExactlyOnce()
    {
        const int Writers = 4;
        const int Batches = 25;
        var (_, sut) = Open();
        var writers = Enumerable.Range(0, Writers).Select(_ => Open().Store).ToList();
        var seen = new List<string>();
        var position = 0L;
        var writing = Task.WhenAll(writers.Select((store, w) => Task.Run(async () =>
        {
            for (var b = 0; b < Batches; b++)
            {
                await store.AppendAsync(TestEvents.Exposures(20 + (b % 3) * 10, $"w{w}-b{b}"), Ct);
            }
        }, Ct)));

        // A follower reading throughout, as a server's does: a later commit must never land below a position it passed.
        while (!writing.IsCompleted || await sut.ReadAfterAsync(position, 1000, Ct) is { Count: > 0 })
        {
            var page = await sut.ReadAfterAsync(position, 50, Ct);
            seen.AddRange(page.Select(e => e.Event.Id!));
            position = page.Count > 0 ? page[^1].Position : position;
        }

        await writing;
        var expected = Enumerable.Range(0, Writers).SelectMany(w => Enumerable.Range(0, Batches).Select(b => (w, b)))
            .Sum(x => 20 + (x.b % 3) * 10);
        Assert.Equal(expected, seen.Count);
        Assert.Equal(expected, seen.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task AppendAsync_ReportsTheStoredEventsAtThePositionsTheFeedGivesThem()
    {
        var (store, feed) = Open();
        await store.AppendAsync(TestEvents.Exposures(3, "a"), TestContext.Current.CancellationToken);

        // Two duplicates (one of an earlier batch, one within this batch) among three new events.
        var result = await store.AppendAsync(
            [TestEvents.Exposure("user-7", "b-0"), TestEvents.Exposure("user-0", "a-0"), TestEvents.Completion("user-8", "b-1"),
             TestEvents.Exposure("user-7", "b-0"), TestEvents.Exposure("user-9", "b-2")],
            TestContext.Current.CancellationToken);

        var read = await feed.ReadAfterAsync(0, 100, TestContext.Current.CancellationToken);
        Assert.Equal((3, 2), (result.Accepted, result.Duplicates));
        Assert.NotNull(result.Stored);
        Assert.Equal(read.Skip(3).Select(e => (e.Position, e.Event.Id)), result.Stored.Select(e => (e.Position, e.Event.Id)));
        if (NumbersWithoutGaps)
        {
            Assert.Equal([1L, 2, 3, 4, 5, 6], read.Select(e => e.Position));
        }
    }
}
