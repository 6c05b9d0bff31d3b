using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Rampart.Core.Events;
using Rampart.Server.Results;
using Rampart.Server.Tests.Events;
using Rampart.Testing;

namespace Rampart.Server.Tests.Results;

/// <summary>
/// retention.events_max_age: once a checkpoint covers old events they are deleted, and results keep counting them, across
/// restarts; a server that cannot count them (checkpoints off, or none readable) says so with a 503, never fewer events.
/// </summary>
public sealed class RetentionTests
{
    private const string Key = "retained";

    [Fact]
    public Task EventsMaxAge_OnSqlite_PrunesCoveredEventsAndResultsStayTheSameAcrossARestart() => RunAsync(postgres: null);

    [Fact]
    public async Task EventsMaxAge_OnPostgres_PrunesCoveredEventsAndResultsStayTheSameAcrossARestart()
    {
        using var postgres = new TestPostgres();
        await RunAsync(postgres);
    }

    [Fact]
    public async Task Rebuild_AfterPruning_StartsFromACheckpointSoThePrunedEventsStillCount()
    {
        var retaining = new Dictionary<string, string?>
        {
            ["checkpoints:every_events"] = "100", ["checkpoints:min_interval"] = "0s", ["retention:events_max_age"] = "1h",
        };
        await using var sut = await TestHost.StartAsync(retaining);
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));
        var lines = Enumerable.Range(0, 300).Select(i => DataPlaneTests.Completion($"unit-{i % 41}", $"req-{i}", experiment: Key));
        await DataPlaneTests.PostJsonAsync(sut.Ingest, "/api/events", string.Join("\n", lines));
        var retention = sut.Services.GetRequiredService<IEventRetention>();
        await Eventually.TrueAsync(async () => await retention.PrunedThroughAsync() >= 300);
        Assert.Empty(await sut.StoredAsync(Key));

        // Feedback without a score throws inside the aggregates: the experiment's results are rebuilt. From what is left
        // in the store they would count one request, not 301.
        await sut.Events.AppendAsync([new ExperimentEvent
        {
            Type = EventType.Feedback, Experiment = Key, Variant = "control", Unit = "unit-0", Id = "no-score", Ts = DateTimeOffset.UnixEpoch, Value = 1,
        }]);
        await DataPlaneTests.PostJsonAsync(sut.Ingest, "/api/events", DataPlaneTests.Completion("unit-9", "req-late", experiment: Key));

        var results = JsonDocument.Parse(await sut.Read.GetStringAsync($"/api/experiments/{Key}/results")).RootElement;
        Assert.Equal(301, results.GetProperty("variants").EnumerateArray().Sum(v => v.GetProperty("requests").GetInt64()));
        Assert.Equal(1, sut.Services.GetRequiredService<EventQuarantine>().Count);
    }

    private static async Task RunAsync(TestPostgres? postgres)
    {
        using var folder = new TempDirectory();
        var storage = postgres is null ? new Dictionary<string, string?>() : new() { ["storage:sqlite"] = null, ["storage:postgres"] = postgres.ConnectionString };
        var retaining = new Dictionary<string, string?>(storage)
        {
            ["checkpoints:every_events"] = "100", ["checkpoints:min_interval"] = "0s", ["retention:events_max_age"] = "1h",
        };
        string before;
        await using (var first = await TestHost.StartAsync(retaining, folder: folder))
        {
            await first.CreateExperimentAsync(TestExperiments.Sim(Key));
            var lines = Enumerable.Range(0, 300).Select(i => DataPlaneTests.Completion($"unit-{i % 41}", $"req-{i}", latency: 200 + (i * 13 % 700), experiment: Key));
            await DataPlaneTests.PostJsonAsync(first.Ingest, "/api/events", string.Join("\n", lines));
            before = await first.Read.GetStringAsync($"/api/experiments/{Key}/results");
            var retention = first.Services.GetRequiredService<IEventRetention>();
            await Eventually.TrueAsync(async () => await retention.PrunedThroughAsync() >= 300);

            // The events' timestamps (2026-11-01) are more than an hour old: every one the checkpoint covers is gone.
            Assert.Empty(await first.StoredAsync(Key));
            Assert.Equal(before, await first.Read.GetStringAsync($"/api/experiments/{Key}/results"));
        }

        await using (var second = await TestHost.StartAsync(retaining, folder: folder))
        {
            Assert.Equal(before, await second.Read.GetStringAsync($"/api/experiments/{Key}/results"));
            Assert.NotNull(second.Services.GetRequiredService<EventFollower>().RestoredFrom);
        }

        var off = new Dictionary<string, string?>(storage) { ["checkpoints:every_events"] = "0" };
        await using var sut = await TestHost.StartAsync(off, folder: folder);
        using var response = await sut.Read.GetAsync($"/api/experiments/{Key}/results");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("were pruned", body, StringComparison.Ordinal);
        Assert.Contains("\"field\":\"results\"", body, StringComparison.Ordinal);
    }
}
