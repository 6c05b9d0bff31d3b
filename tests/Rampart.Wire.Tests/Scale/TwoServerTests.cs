using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Rampart.Testing;

namespace Rampart.Wire.Tests.Scale;

/// <summary>Two servers on one PostgreSQL database: state changes and events made through one are seen by the other.</summary>
public sealed class TwoServerTests
{
    private const string Experiment = "scale-out";

    [Fact]
    public async Task Rollback_ThroughServerA_StopsAssignmentsOfTheVariantThroughServerBWithinTwoSeconds()
    {
        await using var servers = await TwoServers.StartAsync();
        await servers.A.CreateExperimentAsync(WireScenario.Experiment(Experiment, "sim"));
        var onVariantA = new List<string>();
        for (var i = 0; onVariantA.Count < 20; i++)
        {
            if ((await TwoServers.AssignAsync(servers.B, Experiment, $"user-{i}")).Variant == "variant_a")
            {
                onVariantA.Add($"user-{i}");
            }
        }

        using var rollback = await servers.A.Admin.PostAsJsonAsync($"/api/experiments/{Experiment}/rollback", new { variant = "variant_a", reason = "errors" });
        Assert.Equal(HttpStatusCode.OK, rollback.StatusCode);
        var clock = Stopwatch.StartNew();
        var stillOnA = onVariantA;
        while (stillOnA.Count > 0 && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            var assigned = await Task.WhenAll(stillOnA.Select(async u => (Unit: u, Assignment: await TwoServers.AssignAsync(servers.B, Experiment, u))));
            Assert.All(assigned.Where(a => a.Assignment.Variant != "variant_a"), a => Assert.Equal(("control", "rolled_back"), a.Assignment));
            stillOnA = [.. assigned.Where(a => a.Assignment.Variant == "variant_a").Select(a => a.Unit)];
        }

        var elapsed = clock.Elapsed;
        TestContext.Current.TestOutputHelper?.WriteLine($"server B stopped serving variant_a {elapsed.TotalMilliseconds:F0} ms after server A's rollback");
        Assert.Empty(stillOnA);
        Assert.True(elapsed < TimeSpan.FromSeconds(2), $"server B served the rolled-back variant for {elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task Results_EventsSentToBothServers_AreIdenticalFromEither()
    {
        await using var servers = await TwoServers.StartAsync();
        await servers.A.CreateExperimentAsync(WireScenario.Experiment(Experiment, "sim"));
        var sent = 0;
        for (var batch = 0; batch < 8; batch++)
        {
            var server = batch % 2 == 0 ? servers.A : servers.B;
            using var response = await server.Ingest.PostAsync("/api/events", new StringContent(TwoServers.Events(Experiment, $"b{batch}", 300), Encoding.UTF8, "application/x-ndjson"));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            sent += 300;
        }

        var fromA = await servers.A.Admin.GetStringAsync($"/api/experiments/{Experiment}/results");
        var fromB = await servers.B.Admin.GetStringAsync($"/api/experiments/{Experiment}/results");

        Assert.Equal(fromA, fromB);
        using var results = System.Text.Json.JsonDocument.Parse(fromA);
        var requests = results.RootElement.GetProperty("variants").EnumerateArray().Sum(v => v.GetProperty("requests").GetInt32());
        Assert.Equal(sent / 3, requests);
    }

    [Fact]
    public async Task Monitors_OnBothServers_OneGuardrailBreachMakesOneRollbackAndOneAlert()
    {
        await WireScenario.HostStart.WaitAsync();
        WebhookReceiver inbox;
        try
        {
            inbox = await WebhookReceiver.StartAsync();
        }
        finally
        {
            WireScenario.HostStart.Release();
        }

        await using var webhook = inbox;
        await using var servers = await TwoServers.StartAsync(inbox.Url);
        await servers.A.CreateExperimentAsync(Failing);

        // variant_b fails half its requests: half the completions reach each server, both monitors check every second.
        foreach (var (server, half) in new[] { (servers.A, 0), (servers.B, 1) })
        {
            using var response = await server.Ingest.PostAsync("/api/events", new StringContent(Failures(half), Encoding.UTF8, "application/x-ndjson"));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        await Eventually.TrueAsync(() => RolledBackAsync(servers.B), TimeSpan.FromSeconds(60));

        await Task.Delay(TimeSpan.FromSeconds(3)); // three more rounds of both monitors, to show neither acts again

        using var audit = System.Text.Json.JsonDocument.Parse(await servers.A.Admin.GetStringAsync($"/api/experiments/{MonitoredExperiment}/audit"));
        var rollbacks = audit.RootElement.EnumerateArray().Where(a => a.GetProperty("action").GetString() == "rollback").ToList();
        var rollback = Assert.Single(rollbacks);
        Assert.Equal(("monitor", "variant_b"), (rollback.GetProperty("who").GetString(), rollback.GetProperty("variant").GetString()));
        var alert = Assert.Single(inbox.Attempts).Body;
        Assert.Contains("rolled back 'variant_b'", alert.RootElement.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    private const string MonitoredExperiment = "scale-monitored";

    private static readonly string Failing = $$"""
        { "key": "{{MonitoredExperiment}}", "control": "control",
          "variants": {
            "control":   { "provider": "sim", "model": "sim-small" },
            "variant_b": { "provider": "sim", "model": "sim-large" } },
          "stages": [ { "weights": { "control": 50, "variant_b": 50 } } ],
          "guardrails": { "check_interval": "1s", "min_requests": 100 } }
        """;

    private static string Failures(int half)
    {
        var text = new StringBuilder();
        for (var i = half; i < 400; i += 2)
        {
            var variant = i % 4 < 2 ? "control" : "variant_b";
            var error = variant == "variant_b" && i % 8 < 4 ? "\"boom\"" : "null";
            text.Append(System.Globalization.CultureInfo.InvariantCulture,
                $$"""{"type":"completion","experiment":"{{MonitoredExperiment}}","variant":"{{variant}}","unit":"u-{{i}}","request_id":"r-{{i}}","ts":"2026-11-01T00:00:00Z","stage":0,"latency_ms":800,"error":{{error}}}""").Append('\n');
        }

        return text.ToString();
    }

    private static async Task<bool> RolledBackAsync(WireHost server)
    {
        using var experiment = System.Text.Json.JsonDocument.Parse(await server.Admin.GetStringAsync($"/api/experiments/{MonitoredExperiment}"));
        return experiment.RootElement.GetProperty("rolled_back").TryGetProperty("variant_b", out _);
    }
}
