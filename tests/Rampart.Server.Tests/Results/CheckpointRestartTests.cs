using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Rampart.Core.Events;
using Rampart.Server.Results;
using Rampart.Server.Tests.Events;
using Rampart.Testing;

namespace Rampart.Server.Tests.Results;

/// <summary>
/// A server restarts from the newest results checkpoint and reads only the events after it, with results equal to a
/// rebuild from every event; a damaged or stale checkpoint is not used, and results are rebuilt instead.
/// </summary>
public sealed class CheckpointRestartTests
{
    private const string Key = "checkpointed";

    [Fact]
    public Task Restart_OnSqlite_StartsFromTheCheckpointWithTheResultsOfAFullRebuild() => RestartAsync(postgres: null, damage: null);

    [Fact]
    public async Task Restart_OnPostgres_StartsFromTheCheckpointWithTheResultsOfAFullRebuild()
    {
        using var postgres = new TestPostgres();
        await RestartAsync(postgres, damage: null);
    }

    [Fact]
    public Task Restart_CheckpointBytesDamaged_RebuiltFromTheEventsWithTheSameResults() =>
        RestartAsync(postgres: null, damage: "UPDATE checkpoint_chunks SET data = zeroblob(length(data));");

    [Fact]
    public async Task Restart_CheckpointBytesDamagedOnPostgres_RebuiltFromTheEventsWithTheSameResults()
    {
        using var postgres = new TestPostgres();
        await RestartAsync(postgres, damage: "UPDATE checkpoint_chunks SET data = overlay(data placing '\\x00'::bytea from 100);");
    }

    [Fact]
    public Task Restart_StoreOlderThanTheCheckpoint_RebuiltFromTheEventsLeft() =>
        RestartAsync(postgres: null, damage: "DELETE FROM events WHERE seq >= (SELECT MIN(position) FROM checkpoints);");

    private static async Task RestartAsync(TestPostgres? postgres, string? damage)
    {
        using var folder = new TempDirectory();
        var storage = postgres is null ? new Dictionary<string, string?>() : new() { ["storage:sqlite"] = null, ["storage:postgres"] = postgres.ConnectionString };
        var checkpointing = new Dictionary<string, string?>(storage) { ["checkpoints:every_events"] = "100", ["checkpoints:min_interval"] = "0s" };
        await using (var first = await TestHost.StartAsync(checkpointing, folder: folder))
        {
            await first.CreateExperimentAsync(TestExperiments.Sim(Key));
            await PostAsync(first, 0, 400);
            var store = first.Services.GetRequiredService<ICheckpointStore>();
            await Eventually.TrueAsync(async () => (await store.ListAsync()).Any(c => c.Position >= 600));
        }

        if (damage is not null)
        {
            Run(postgres, folder, damage);
        }

        string restored;
        await using (var second = await TestHost.StartAsync(checkpointing, folder: folder))
        {
            // Readers that wait for results from the first moment race the follower's own first read: the checkpoint is
            // applied once, before any event, whoever reads first.
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => second.Read.GetStringAsync($"/api/experiments/{Key}/results")));
            await PostAsync(second, 400, 50);
            restored = await second.Read.GetStringAsync($"/api/experiments/{Key}/results");
            var follower = second.Services.GetRequiredService<EventFollower>();
            if (damage is null)
            {
                Assert.NotNull(follower.RestoredFrom);
                Assert.True(follower.EventsRead < 200, $"read {follower.EventsRead} events after a checkpoint at {follower.RestoredFrom!.Position}");
            }
            else
            {
                Assert.Null(follower.RestoredFrom);
            }
        }

        var rebuild = new Dictionary<string, string?>(storage) { ["checkpoints:every_events"] = "0" };
        await using var sut = await TestHost.StartAsync(rebuild, folder: folder);
        Assert.Null(sut.Services.GetRequiredService<EventFollower>().RestoredFrom);
        Assert.Equal(restored, await sut.Read.GetStringAsync($"/api/experiments/{Key}/results"));
        Assert.Contains("\"requests\":", restored, StringComparison.Ordinal);
    }

    // Completions with latencies that differ, and a thumbs-up or -down for each.
    private static async Task PostAsync(TestHost host, int from, int count)
    {
        var lines = Enumerable.Range(from, count).SelectMany(i => new[]
        {
            DataPlaneTests.Completion($"unit-{i % 37}", $"req-{i}", variant: i % 2 == 0 ? "control" : "variant_a", latency: 100 + (i * 7 % 500), experiment: Key),
            $$"""{"type":"feedback","experiment":"{{Key}}","variant":"{{(i % 2 == 0 ? "control" : "variant_a")}}","unit":"unit-{{i % 37}}","request_id":"req-{{i}}","ts":"2026-11-01T10:00:02Z","score":"thumbs_up","value":{{(i % 3 == 0 ? 0 : 1)}}}""",
        });
        await DataPlaneTests.PostJsonAsync(host.Ingest, "/api/events", string.Join("\n", lines));
    }

    private static void Run(TestPostgres? postgres, TempDirectory folder, string sql)
    {
        if (postgres is not null)
        {
            postgres.Scalar(sql);
            return;
        }

        using var connection = new SqliteConnection($"Data Source={folder.File("rampart.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
