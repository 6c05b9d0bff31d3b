using System.Net;
using System.Text.Json;
using Rampart.Server.Tests.Events;
using Rampart.Testing;

namespace Rampart.Server.Tests.Ops;

public sealed class OpsTests
{
    [Fact]
    public async Task Healthz_Answers_StatusAndQueueDepth()
    {
        await using var sut = await TestHost.StartAsync();

        var health = JsonDocument.Parse(await sut.Anonymous.GetStringAsync("/healthz")).RootElement;

        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal(0, health.GetProperty("queue_depth").GetInt64());
    }

    [Fact]
    public async Task Metrics_AfterTraffic_ExposeRequestCounterLatencyHistogramsEventsAndQueueDepth()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim("metrics"));
        using var call = await sut.Ingest.PostAsync("/v1/chat/completions",
            TestHost.Json("""{"model":"experiment:metrics","user":"u","messages":[{"role":"user","content":"hi"}]}"""));
        await DataPlaneTests.EventuallyAsync(sut, "metrics", e => e.Count == 2);

        // Instruments record as a request ends, which may be just after its client has the answer (and the writer counts
        // events just after their commit, which the store already shows): scrape until all are in.
        string[] names =
        [
            "rampart_server_requests_total", "gen_ai_client_operation_duration_seconds_bucket", "http_server_request_duration_seconds_bucket",
            "rampart_events_written_total",
        ];
        var text = "";
        await Eventually.TrueAsync(async () =>
        {
            using var response = await sut.Read.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            text = await response.Content.ReadAsStringAsync();
            return names.All(n => text.Contains(n, StringComparison.Ordinal));
        }, failure: () => Task.FromResult("/metrics: " + text));

        Assert.Contains("rampart_server_requests_total", text, StringComparison.Ordinal);
        Assert.Contains("gen_ai_client_operation_duration_seconds_bucket", text, StringComparison.Ordinal);
        Assert.Contains("rampart_experiment=\"metrics\"", text, StringComparison.Ordinal);
        Assert.Contains("gen_ai_client_token_usage", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds_bucket", text, StringComparison.Ordinal);
        Assert.Contains("rampart_events_written_total", text, StringComparison.Ordinal);
        Assert.Contains("rampart_events_queue_depth", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_AnotherServerInTheProcessStartedAndStopped_ThisServersLaterCountsStillShow()
    {
        await using var sut = await TestHost.StartAsync();
        // What another test class does alongside: its server's meters have the same names as this one's.
        await (await TestHost.StartAsync()).DisposeAsync();
        await sut.Read.GetStringAsync("/metrics");
        await sut.CreateExperimentAsync(TestExperiments.Sim("metrics-after-another"));

        using var call = await sut.Ingest.PostAsync("/v1/chat/completions",
            TestHost.Json("""{"model":"experiment:metrics-after-another","user":"u","messages":[{"role":"user","content":"hi"}]}"""));

        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        var text = "";
        await Eventually.TrueAsync(
            async () => Judging.JudgingTests.Metric(text = await sut.Read.GetStringAsync("/metrics"), "gen_ai_client_operation_duration_seconds_count", "rampart_experiment=\"metrics-after-another\"") == 1,
            TimeSpan.FromSeconds(10),
            () => Task.FromResult("/metrics: " + string.Join("\n", text.Split('\n').Where(l => l.StartsWith("gen_ai_client_operation_duration_seconds_count", StringComparison.Ordinal)))));
    }

    [Fact]
    public async Task Metrics_WithoutKey_Is401()
    {
        await using var sut = await TestHost.StartAsync();

        using var response = await sut.Anonymous.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
