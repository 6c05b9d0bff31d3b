using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Rampart.Core.Events;
using Rampart.Server.Monitor;
using Rampart.Server.Tests.Events;
using Rampart.Testing;

namespace Rampart.Server.Tests.RedTeam;

/// <summary>
/// A poisoned event written straight into the store (past the API's checks, as an old version or a hand-made row would):
/// the follower sets it aside; every other experiment, and every other event of its own, is untouched; the monitor still
/// rolls back; a restart reads past it again. On SQLite and on PostgreSQL. In one collection with
/// <see cref="Results.EventFollowerTests"/>, which quarantines events too: <c>rampart_events_quarantined_total</c>'s meter is
/// per process, so an event another test's server sets aside meanwhile counts in this server's <c>/metrics</c>.
/// </summary>
[Collection(nameof(QuarantineTests))]
public sealed partial class QuarantineTests
{
    private const string Poisoned = "poisoned";
    private const string Guarded = "guarded";
    private const string Messages = """[{"role":"user","content":"hello"}]""";

    [Fact]
    public Task PoisonedLatency_OnSqlite_QuarantinedAndEveryOtherExperimentServed() => RunAsync(new TempDirectory(), postgres: null);

    [Fact]
    public async Task PoisonedLatency_OnPostgres_QuarantinedAndEveryOtherExperimentServed()
    {
        using var postgres = new TestPostgres();
        await RunAsync(new TempDirectory(), postgres.ConnectionString);
    }

    private static async Task RunAsync(TempDirectory folder, string? postgres)
    {
        using var _ = folder;
        var settings = postgres is null ? null : new Dictionary<string, string?> { ["storage:sqlite"] = null, ["storage:postgres"] = postgres };
        await using (var sut = await TestHost.StartAsync(settings, folder: folder))
        {
            await sut.CreateExperimentAsync(TestExperiments.Sim(Poisoned));
            await sut.CreateExperimentAsync(Failing(Guarded));

            // 20 good completions, then the poison (1e200 ms, past the API) and 10 more good ones after it: the event after
            // a poisoned latency is the one whose squared deviation overflows, so it is the test of "validate first".
            var good = Enumerable.Range(0, 20).Select(i => DataPlaneTests.Completion($"u-{i}", $"r-{i}", variant: "variant_a", experiment: Poisoned));
            await DataPlaneTests.PostJsonAsync(sut.Ingest, "/api/events", string.Join("\n", good));
            await sut.Events.AppendAsync([Poison()]);
            var after = Enumerable.Range(20, 10).Select(i => DataPlaneTests.Completion($"u-{i}", $"r-{i}", variant: "variant_a", experiment: Poisoned));
            await DataPlaneTests.PostJsonAsync(sut.Ingest, "/api/events", string.Join("\n", after));

            // Real gateway calls to the simulated provider: variant_b of the guarded experiment fails 60% of its requests.
            for (var i = 0; i < 400; i++)
            {
                using var response = await sut.Ingest.PostAsync("/v1/chat/completions",
                    TestHost.Json($$"""{"model":"experiment:{{Guarded}}","user":"user-{{i / 2}}","messages":{{Messages}}}"""));
                Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.InternalServerError, $"{response.StatusCode}");
            }

            // The gateway's events are written behind its answers: wait for the last of them.
            Assert.Equal(30, await RequestsAsync(sut, Poisoned));
            Assert.Equal(400, await RequestsAsync(sut, Guarded, expected: 400));
            foreach (var key in new[] { Poisoned, Guarded })
            {
                using var timeline = await sut.Read.GetAsync($"/api/experiments/{key}/timeline");
                Assert.Equal(HttpStatusCode.OK, timeline.StatusCode);
            }

            await sut.Services.GetRequiredService<RolloutMonitor>().CheckAllAsync();
            Assert.True((await sut.Experiments.FindAsync(Guarded))!.IsRolledBack("variant_b"), "the monitor did not roll the 60%-error variant back");

            Assert.Equal(1, await QuarantinedMetricAsync(sut));
            await AssertListedAsync(sut);
            using var forbidden = await sut.Read.GetAsync("/api/events/quarantined");
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
            using var badLimit = await sut.Admin.GetAsync("/api/events/quarantined?limit=0");
            Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
            Assert.Contains("'limit'", await badLimit.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            await AssertHealthyAsync(sut);
        }

        // A restart reads the poison again: it is set aside again (kept once), and results become ready.
        await using (var sut = await TestHost.StartAsync(settings, folder: folder))
        {
            Assert.Equal(30, await RequestsAsync(sut, Poisoned));
            Assert.Equal(400, await RequestsAsync(sut, Guarded));
            await AssertListedAsync(sut);
            Assert.Equal(1, await QuarantinedMetricAsync(sut));
            await AssertHealthyAsync(sut);
        }
    }

    private static ExperimentEvent Poison() => new()
    {
        Type = EventType.Completion, Experiment = Poisoned, Variant = "variant_a", Unit = "u-poison", Id = "poison-1", RequestId = "r-poison",
        Ts = new DateTimeOffset(2026, 11, 1, 10, 0, 2, TimeSpan.Zero), LatencyMs = 1e200, CostUsd = 0.01,
    };

    private static async Task<long> RequestsAsync(TestHost sut, string key, long? expected = null)
    {
        long requests = 0;
        if (expected is { } n)
        {
            await Eventually.TrueAsync(async () => (requests = await RequestsAsync(sut, key)) == n,
                failure: () => Task.FromResult($"'{key}' counts {requests} requests, not {n}"));
        }

        return await RequestsAsync(sut, key);
    }

    private static async Task<long> RequestsAsync(TestHost sut, string key)
    {
        using var response = await sut.Read.GetAsync($"/api/experiments/{key}/results");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{key}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("variants").EnumerateArray().Sum(v => v.GetProperty("requests").GetInt64());
    }

    private static async Task AssertListedAsync(TestHost sut)
    {
        var page = JsonDocument.Parse(await sut.Admin.GetStringAsync("/api/events/quarantined?limit=10")).RootElement;
        var listed = Assert.Single(page.GetProperty("events").EnumerateArray());
        Assert.Equal((Poisoned, "poison-1"), (listed.GetProperty("experiment").GetString(), listed.GetProperty("event_id").GetString()));
        Assert.Contains("'latency_ms'", listed.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(1e200, listed.GetProperty("event").GetProperty("latency_ms").GetDouble());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next_after").ValueKind);
    }

    private static async Task<long> QuarantinedMetricAsync(TestHost sut)
    {
        // The exporter caches a scrape for a moment; the counter is there from the first.
        var text = await sut.Read.GetStringAsync("/metrics");
        var match = QuarantinedLine().Match(text);
        Assert.True(match.Success, "rampart_events_quarantined_total is missing from /metrics");
        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static async Task AssertHealthyAsync(TestHost sut)
    {
        using var response = await sut.Anonymous.GetAsync("/healthz");
        var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("ok", "ready"), (health.GetProperty("status").GetString(), health.GetProperty("results").GetString()));
    }

    private static string Failing(string key) => $$"""
        { "key": "{{key}}", "control": "control",
          "variants": {
            "control":   { "provider": "sim", "model": "sim-small", "params": { "sim": { "error_rate": 0 } } },
            "variant_a": { "provider": "sim", "model": "sim-large", "params": { "sim": { "error_rate": 0 } } },
            "variant_b": { "provider": "sim", "model": "sim-large", "params": { "sim": { "error_rate": 0.6 } } } },
          "stages": [ { "weights": { "control": 50, "variant_a": 25, "variant_b": 25 } },
                      { "weights": { "control": 80, "variant_a": 20, "variant_b": 0 } } ] }
        """;

    [GeneratedRegex(@"^rampart_events_quarantined_total(?:\{[^}]*\})? (\d+)", RegexOptions.Multiline)]
    private static partial Regex QuarantinedLine();
}
