using Rampart.Core.Events;
using Rampart.Storage.Postgres;
using Rampart.Storage.Tests.Contracts;
using Rampart.Testing;

namespace Rampart.Storage.Tests.Postgres;

public sealed class PostgresEventFeedTests : EventFeedContract, IDisposable
{
    private readonly TestPostgres postgres = new();

    protected override (IEventStore Store, IEventFeed Feed) Open()
    {
        var database = postgres.Own(new PostgresDatabase(postgres.ConnectionString));
        return (new PostgresEventStore(database), new PostgresEventFeed(database));
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
        Assert.Equal([1L, 2, 3, 4, 5, 6], read.Select(e => e.Position));
    }

    public void Dispose() => postgres.Dispose();
}
