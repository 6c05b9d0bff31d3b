using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rampart.Core.Events;
using Rampart.Server.Tests.Events;
using Rampart.Testing;

namespace Rampart.Server.Tests.RedTeam;

/// <summary>
/// An attacker with an ingest key sends numbers no real call has (1e200 ms, 2⁶³−1 tokens, a score of 1e200), and an upstream
/// reports absurd usage: each is refused where it enters (a 400 naming the field and its range) or, from an upstream, stored
/// as null and counted, and every experiment's results still answer.
/// </summary>
public sealed class PoisonedNumbersTests
{
    private const string Key = "poison";
    private const string Other = "bystander";

    [Theory]
    [InlineData("latency_ms", "1e200", "[0, 86400000]")]
    [InlineData("latency_ms", "-1", "[0, 86400000]")]
    [InlineData("ttft_ms", "1e200", "[0, 86400000]")]
    [InlineData("cost_usd", "1e200", "[0, 1000000]")]
    [InlineData("prompt_tokens", "9223372036854775807", "[0, 1000000000]")]
    [InlineData("completion_tokens", "1000000001", "[0, 1000000000]")]
    [InlineData("stage", "1001", "[0, 1000]")]
    public async Task PostEvents_CompletionWithNumberOutOfRange_Is400NamingFieldAndRange(string field, string value, string range)
    {
        await using var sut = await StartAsync();
        var poisoned = Poisoned(field, value);

        using var response = await sut.Ingest.PostAsync("/api/events", TestHost.Json($"[{poisoned},{poisoned}]"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Contains($"'{field}' must be", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(range, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await sut.StoredAsync(Key));
        await AssertResultsAnswerAsync(sut);
    }

    [Fact]
    public async Task PostEvents_PoisonedLineAmongValidOnes_StoresTheValidAndNamesTheLine()
    {
        await using var sut = await StartAsync();
        var lines = string.Join("\n", DataPlaneTests.Completion("u1", "r-1", experiment: Key), Poisoned("latency_ms", "1e200"), DataPlaneTests.Completion("u2", "r-2", experiment: Key));

        var body = await DataPlaneTests.PostJsonAsync(sut.Ingest, "/api/events", lines, "application/x-ndjson");

        Assert.Equal(2, body.GetProperty("accepted").GetInt32());
        var rejected = Assert.Single(body.GetProperty("rejected").EnumerateArray());
        Assert.Equal((2, "latency_ms"), (rejected.GetProperty("line").GetInt32(), rejected.GetProperty("field").GetString()));
        Assert.Contains("[0, 86400000]", rejected.GetProperty("reason").GetString(), StringComparison.Ordinal);
        await AssertResultsAnswerAsync(sut);
    }

    [Theory]
    [InlineData("1e200")]
    [InlineData("-1e200")]
    [InlineData("1000000001")]
    public async Task PostFeedback_ValueOutOfRange_Is400NamingValue(string value)
    {
        await using var sut = await StartAsync();
        await DataPlaneTests.PostJsonAsync(sut.Ingest, "/api/events", DataPlaneTests.Completion("u1", "r-1", experiment: Key));

        using var response = await sut.Ingest.PostAsync("/api/feedback", TestHost.Json($$"""{"request_id":"r-1","score":"user_satisfaction","value":{{value}}}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var message = Assert.Single(problem.GetProperty("errors").GetProperty("value").EnumerateArray()).GetString();
        Assert.Equal($"'value' must be a finite number in [-1000000000, 1000000000] (or true/false), not {value}.", message);
        await AssertResultsAnswerAsync(sut);
    }

    [Fact]
    public async Task PostEvents_FeedbackEventValueOutOfRange_Is400NamingValue()
    {
        await using var sut = await StartAsync();
        var feedback = $$"""{"type":"feedback","experiment":"{{Key}}","variant":"control","unit":"u1","request_id":"r-1","ts":"2026-11-01T10:00:02Z","score":"user_satisfaction","value":1e200}""";

        using var response = await sut.Ingest.PostAsync("/api/events", TestHost.Json($"[{feedback}]"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("value", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("field").GetString());
        await AssertResultsAnswerAsync(sut);
    }

    [Fact]
    public async Task Gateway_UpstreamReportsUsageOutOfRange_KeepsTheCompletionWithTheFieldNullAndCountsIt()
    {
        await using var upstream = await UpstreamAsync();
        await using var sut = await TestHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["providers:up:type"] = "openai",
                ["providers:up:base_url"] = upstream.Address + "v1",
                ["providers:up:timeout"] = "5s",
                ["pricing:model-up:input_per_1k"] = "10",
                ["pricing:model-up:output_per_1k"] = "0.002",
            },
            kestrel: true);
        await sut.CreateExperimentAsync(UpstreamExperiment("usage"));

        foreach (var (user, content) in new[] { ("u-absurd", "absurd"), ("u-costly", "costly"), ("u-fine", "fine") })
        {
            using var call = await sut.Ingest.PostAsync("/v1/chat/completions",
                TestHost.Json($$"""{"model":"experiment:usage","user":"{{user}}","messages":[{"role":"user","content":"{{content}}"}]}"""));
            Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        }

        var completions = (await DataPlaneTests.EventuallyAsync(sut, "usage", e => e.Count(x => x.Type == EventType.Completion) == 3))
            .Where(e => e.Type == EventType.Completion).ToDictionary(e => e.Unit);
        var absurd = completions["u-absurd"];
        Assert.Equal(((long?)null, (long?)80, (double?)null, (string?)null), (absurd.PromptTokens, absurd.CompletionTokens, absurd.CostUsd, absurd.Error));
        var costly = completions["u-costly"];
        Assert.Equal(((long?)1_000_000_000, (double?)null), (costly.PromptTokens, costly.CostUsd));
        var fine = completions["u-fine"];
        Assert.Equal(((long?)120, (long?)80), (fine.PromptTokens, fine.CompletionTokens));
        Assert.NotNull(fine.CostUsd);

        var metrics = await sut.Read.GetStringAsync("/metrics");
        Assert.Matches("""rampart_upstream_usage_rejected_total\{[^}]*field="prompt_tokens"[^}]*\} 1""", metrics);
        Assert.Matches("""rampart_upstream_usage_rejected_total\{[^}]*field="cost_usd"[^}]*\} 2""", metrics);
        using var results = await sut.Read.GetAsync("/api/experiments/usage/results");
        Assert.Equal(HttpStatusCode.OK, results.StatusCode);
    }

    [Fact]
    public async Task Gateway_UpstreamReportsUsageNoTokenCountHolds_KeepsTheCompletionWithTheFieldNullAndCountsIt()
    {
        await using var upstream = await UpstreamAsync();
        await using var sut = await TestHost.StartAsync(
            new Dictionary<string, string?> { ["providers:up:type"] = "openai", ["providers:up:base_url"] = upstream.Address + "v1", ["providers:up:timeout"] = "5s" },
            kestrel: true);
        await sut.CreateExperimentAsync(UpstreamExperiment("unusable"));

        string[] contents = ["huge", "fractional", "below", "text"];
        foreach (var content in contents)
        {
            using var call = await sut.Ingest.PostAsync("/v1/chat/completions",
                TestHost.Json($$"""{"model":"experiment:unusable","user":"u-{{content}}","messages":[{"role":"user","content":"{{content}}"}]}"""));
            Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        }

        var completions = (await DataPlaneTests.EventuallyAsync(sut, "unusable", e => e.Count(x => x.Type == EventType.Completion) == contents.Length))
            .Where(e => e.Type == EventType.Completion);
        Assert.All(completions, c => Assert.Equal(((long?)null, (long?)80, (string?)null), (c.PromptTokens, c.CompletionTokens, c.Error)));
        var metrics = await sut.Read.GetStringAsync("/metrics");
        Assert.Matches($$"""rampart_upstream_usage_rejected_total\{[^}]*field="prompt_tokens"[^}]*\} {{contents.Length}}""", metrics);
    }

    [Fact]
    public async Task Gateway_UpstreamReportsUsageOutOfRange_TheTokenHistogramLeavesItOut()
    {
        await using var upstream = await UpstreamAsync();
        await using var sut = await TestHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["providers:up:type"] = "openai", ["providers:up:base_url"] = upstream.Address + "v1", ["providers:up:timeout"] = "5s", ["gateway:default_provider"] = "up",
            },
            kestrel: true);
        await sut.CreateExperimentAsync(UpstreamExperiment("histogram"));

        // 2⁶³−1 prompt tokens, once in an experiment's call and once in a pass-through: the stored event has it null, and
        // the histogram's sum must not take it either, or the series' mean is poisoned for as long as the process runs.
        foreach (var model in new[] { "experiment:histogram", "model-up" })
        {
            using var call = await sut.Ingest.PostAsync("/v1/chat/completions",
                TestHost.Json($$"""{"model":"{{model}}","user":"u-absurd","messages":[{"role":"user","content":"absurd"}]}"""));
            Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        }

        var metrics = await sut.Read.GetStringAsync("/metrics");
        var sums = metrics.Split('\n').Where(l => l.StartsWith("gen_ai_client_token_usage", StringComparison.Ordinal) && l.Contains("_sum", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(sums);
        Assert.All(sums, l => Assert.True(double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture) <= 1000, l));
    }

    private static async Task<TestHost> StartAsync()
    {
        var sut = await TestHost.StartAsync(kestrel: true);
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));
        await sut.CreateExperimentAsync(TestExperiments.Sim(Other));
        await DataPlaneTests.PostJsonAsync(sut.Ingest, "/api/events", DataPlaneTests.Completion("b1", "rb-1", experiment: Other));
        return sut;
    }

    private static string Poisoned(string field, string value) =>
        $$"""{"type":"completion","experiment":"{{Key}}","variant":"control","unit":"u-evil","ts":"2026-11-01T10:00:01Z","latency_ms":{{(field == "latency_ms" ? value : "5")}}{{(field == "latency_ms" ? "" : $",\"{field}\":{value}")}}}""";

    // The attack's other half: after it, a valid event is still counted and every experiment's results answer.
    private static async Task AssertResultsAnswerAsync(TestHost sut)
    {
        await DataPlaneTests.PostJsonAsync(sut.Ingest, "/api/events", DataPlaneTests.Completion("u-good", "r-good", experiment: Key));
        foreach (var key in new[] { Key, Other })
        {
            using var response = await sut.Read.GetAsync($"/api/experiments/{key}/results");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var health = JsonDocument.Parse(await sut.Anonymous.GetStringAsync("/healthz")).RootElement;
        Assert.Equal("ok", health.GetProperty("status").GetString());
    }

    private static string UpstreamExperiment(string key) => $$"""
        { "key": "{{key}}", "control": "control",
          "variants": {
            "control":   { "provider": "up", "model": "model-up" },
            "variant_a": { "provider": "up", "model": "model-up", "temperature": 0.5 } },
          "stages": [ { "weights": { "control": 50, "variant_a": 50 } } ] }
        """;

    // An OpenAI-compatible upstream whose usage depends on the prompt: 2⁶³−1 prompt tokens, the token limit (so a cost above
    // the cost limit at $10 per 1,000), or ordinary counts.
    private static async Task<Upstream> UpstreamAsync()
    {
        var app = LoopbackApp.Create();
        app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            var body = await JsonDocument.ParseAsync(context.Request.Body);
            var content = body.RootElement.GetProperty("messages").EnumerateArray().Last().GetProperty("content").GetString();
            var prompt = content switch
            {
                "absurd" => "9223372036854775807",
                "costly" => "1000000000",
                "huge" => "1e308",
                "fractional" => "120.5",
                "below" => "-1e300",
                "text" => "\"120\"",
                _ => "120",
            };
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($$$"""{"id":"c1","object":"chat.completion","created":1,"model":"model-up","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":{{{prompt}}},"completion_tokens":80}}""");
        });
        return new Upstream(app, await LoopbackApp.StartAsync(app));
    }

    private sealed class Upstream(WebApplication app, Uri address) : IAsyncDisposable
    {
        public Uri Address { get; } = address;

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
