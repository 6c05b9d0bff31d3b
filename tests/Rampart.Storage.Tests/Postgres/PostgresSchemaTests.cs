using Rampart.Core.Events;
using Rampart.Storage.Postgres;
using Rampart.Storage.Tests.Contracts;
using Rampart.Testing;

namespace Rampart.Storage.Tests.Postgres;

public sealed class PostgresSchemaTests : IDisposable
{
    private readonly TestPostgres postgres = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => postgres.Dispose();

    [Fact]
    public async Task Migrations_Version9OnOldEvents_KeepsTheirPositionsAndOrderBeforeNewOnes()
    {
        // A version 8 database whose events have seq 1, 2 and 3,000,000 (past the first 2^20 positions), and a
        // quarantined row naming seq 2.
        CreateAtVersion(8);
        postgres.Scalar("""
            INSERT INTO events (seq, experiment, type, ts, id, variant, unit) OVERRIDING SYSTEM VALUE VALUES
                (2, 'prompt-opt-v2', 'exposure', '2026-11-01T10:00:00Z', 'old-2', 'control', 'u-2'),
                (1, 'prompt-opt-v2', 'exposure', '2026-11-01T10:00:00Z', 'old-1', 'control', 'u-1'),
                (3000000, 'prompt-opt-v2', 'exposure', '2026-11-01T10:00:00Z', 'old-3', 'control', 'u-3');
            INSERT INTO quarantined_events (position, experiment, event_id, event, error, quarantined_at)
                VALUES (2, 'prompt-opt-v2', 'old-2', '{}', 'bad', now());
            """);
        var database = postgres.Own(new PostgresDatabase(postgres.ConnectionString));
        var (store, feed) = (new PostgresEventStore(database), new PostgresEventFeed(database));

        var appended = await store.AppendAsync([TestEvents.Exposure("u-4", "new-1"), TestEvents.Exposure("u-2", "old-2")], Ct);
        var fed = await feed.ReadAfterAsync(0, 100, Ct);
        var read = new List<string?>();
        await foreach (var e in store.ReadAsync("prompt-opt-v2", Ct))
        {
            read.Add(e.Id);
        }

        Assert.Equal(10, postgres.Scalar("SELECT MAX(version) FROM schema_version"));
        Assert.Equal((1, 1), (appended.Accepted, appended.Duplicates));
        Assert.Equal([(1L, "old-1"), (2L, "old-2"), (3_000_000L, "old-3")], fed.Take(3).Select(e => (e.Position, e.Event.Id)));
        Assert.Equal((3_000_001L, "new-1"), (fed[3].Position, fed[3].Event.Id));
        Assert.Equal(["old-1", "old-2", "old-3", "new-1"], read);
        Assert.Equal(["old-2", "old-3", "new-1"], await PagesOfOneAsync(feed, 1));
        Assert.Equal(2L, Assert.Single(await new PostgresQuarantineStore(database).ListAsync(0, 10, Ct)).Position);
    }

    private static async Task<List<string?>> PagesOfOneAsync(PostgresEventFeed feed, long position)
    {
        var ids = new List<string?>();
        while (await feed.ReadAfterAsync(position, 1, Ct) is [var next])
        {
            ids.Add(next.Event.Id);
            position = next.Position;
        }

        return ids;
    }

    private void CreateAtVersion(int version)
    {
        postgres.Scalar("CREATE TABLE schema_version (version integer NOT NULL PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());");
        for (var v = 1; v <= version; v++)
        {
            postgres.Scalar(PostgresSchema.Migrations[v - 1]);
            postgres.Scalar($"INSERT INTO schema_version (version) VALUES ({v});");
        }
    }
}
