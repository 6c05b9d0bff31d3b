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

    /// <inheritdoc />
    protected override bool NumbersWithoutGaps => true;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(100)]
    public async Task ReadAfterAsync_AfterEventsWereDeleted_PagesOverTheHolesToTheEnd(int page)
    {
        var (store, feed) = Open();
        for (var b = 0; b < 4; b++)
        {
            await store.AppendAsync(TestEvents.Exposures(3, $"b{b}"), TestContext.Current.CancellationToken);
        }

        // Retention deleted the second batch whole and the last events of the first and third.
        postgres.Scalar("DELETE FROM events WHERE id IN ('b0-2', 'b1-0', 'b1-1', 'b1-2', 'b2-2');");
        var (seen, sizes) = (new List<StoredEvent>(), new List<int>());
        while (await feed.ReadAfterAsync(seen.Count > 0 ? seen[^1].Position : 0, page, TestContext.Current.CancellationToken) is { Count: > 0 } read)
        {
            seen.AddRange(read);
            sizes.Add(read.Count);
        }

        Assert.All(sizes.SkipLast(1), size => Assert.Equal(page, size));
        Assert.Equal([(1L, "b0-0"), (2, "b0-1"), (7, "b2-0"), (8, "b2-1"), (10, "b3-0"), (11, "b3-1"), (12, "b3-2")], seen.Select(e => (e.Position, e.Event.Id)));
    }

    public void Dispose() => postgres.Dispose();
}
