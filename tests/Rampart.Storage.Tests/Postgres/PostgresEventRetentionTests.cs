using Rampart.Storage.Postgres;
using Rampart.Storage.Tests.Contracts;
using Rampart.Testing;

namespace Rampart.Storage.Tests.Postgres;

public sealed class PostgresEventRetentionTests : IDisposable
{
    private readonly TestPostgres postgres = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => postgres.Dispose();

    [Fact]
    public async Task PruneAsync_ThroughAPositionInsideABatch_DeletesUpToItAndTheFeedGoesOnFromThere()
    {
        var database = postgres.Own(new PostgresDatabase(postgres.ConnectionString));
        var (store, feed, sut) = (new PostgresEventStore(database), new PostgresEventFeed(database), new PostgresEventRetention(database));
        for (var b = 0; b < 3; b++)
        {
            await store.AppendAsync(TestEvents.Exposures(4, $"b{b}"), Ct);   // positions 1–12, seconds 0–3 of T0 in each batch
        }

        var counted = await sut.PruneAsync(TestEvents.T0.AddSeconds(3), 6, dryRun: true, Ct);
        var deleted = await sut.PruneAsync(TestEvents.T0.AddSeconds(3), 6, dryRun: false, Ct);

        // Position 4 (second 3) is not old enough; 1–3 and 5–6 are deleted.
        Assert.Equal((5L, 5L), (counted, deleted));
        Assert.Equal(6L, await sut.PrunedThroughAsync(Ct));
        Assert.True(await sut.IsPrunedAsync("prompt-opt-v2", Ct));
        Assert.Equal([(4L, "b0-3"), (7, "b1-2"), (8, "b1-3"), (9, "b2-0")], (await feed.ReadAfterAsync(0, 4, Ct)).Select(e => (e.Position, e.Event.Id)));
    }
}
