using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Rampart.Core.Alerts;
using Rampart.Core.Events;
using Rampart.Core.Experiments;
using Rampart.Llm.Shadowing;
using Rampart.Server.Events;
using Rampart.Server.Tests.RedTeam;
using Rampart.Testing;

namespace Rampart.Server.Tests.Shadowing;

/// <summary>
/// The gateway's shadow calls end to end (docs/shadow.md): a real server on 127.0.0.1 with the SQLite store, the control
/// and the shadow variants on the simulated provider or a fake upstream on loopback. Each test has its own experiment key:
/// the server's meter is named per process, so another host's counts must not land on its labels.
/// </summary>
public sealed partial class ShadowGatewayTests
{
    [Fact]
    public async Task ChatCompletions_SampleRate1_ControlCompletionPairsWithOneShadowCompletionPerVariant()
    {
        const string key = "shadow-all";
        await using var sut = await TestHost.StartAsync(kestrel: true);
        await sut.CreateExperimentAsync(Experiment(key, shadowStage: """{ "variants": ["variant_a", "variant_b"], "sample_rate": 1 }"""));

        var served = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await ChatAsync(sut, key, $"user-{i}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("control", response.Headers.GetValues("X-Rampart-Variant").Single());
            served.Add(response.Headers.GetValues("X-Rampart-Request-Id").Single());
        }

        var events = await EventuallyStoredAsync(sut, key, e => e.Count(x => x.Type == EventType.Completion) == 9);
        var completions = events.Where(e => e.Type == EventType.Completion).ToList();
        var controls = completions.Where(e => !e.Shadow).ToList();
        Assert.Equal(served.Order(StringComparer.Ordinal), controls.Select(c => c.RequestId!).Order(StringComparer.Ordinal));
        Assert.All(controls, c => Assert.Equal(("control", c.RequestId), (c.Variant, c.PairId)));
        foreach (var control in controls)
        {
            var shadows = completions.Where(e => e.Shadow && e.PairId == control.RequestId).OrderBy(e => e.Variant, StringComparer.Ordinal).ToList();
            Assert.Equal(["variant_a", "variant_b"], shadows.Select(s => s.Variant));
            Assert.All(shadows, s =>
            {
                Assert.Equal((control.Unit, control.Stage), (s.Unit, s.Stage));
                Assert.NotEqual(control.RequestId, s.RequestId);
                Assert.Null(s.Error);
                Assert.True(s.LatencyMs > 0 && s.PromptTokens > 0 && s.CompletionTokens > 0);
                Assert.NotNull(s.Output);
            });
            Assert.True(shadows[0].CostUsd > 0, "gpt-4o-mini is priced");
        }

        Assert.Equal(3, events.Count(e => e.Type == EventType.Exposure));
        Assert.All(events.Where(e => e.Type == EventType.Exposure), e => Assert.Equal("control", e.Variant));
        var metrics = "";
        await Eventually.TrueAsync(async () =>
        {
            metrics = await sut.Read.GetStringAsync("/metrics");
            return Metric(metrics, "rampart_shadow_calls_total", key, "rampart_variant=\"variant_a\"") == 3
                && Metric(metrics, "rampart_shadow_calls_total", key, "rampart_variant=\"variant_b\"") == 3
                && Metric(metrics, "rampart_shadow_cost_usd_total", key, "rampart_variant=\"variant_a\"") > 0;
        }, failure: () => Task.FromResult("/metrics: " + string.Join('\n', metrics.Split('\n').Where(l => l.StartsWith("rampart_shadow", StringComparison.Ordinal)))));
    }

    [Fact]
    public async Task ChatCompletions_StreamedServedCall_ShadowCallIsNotStreamed()
    {
        const string key = "shadow-streamed";
        await using var sut = await TestHost.StartAsync(kestrel: true);
        await sut.CreateExperimentAsync(Experiment(key, shadowStage: """{ "variants": ["variant_a"], "sample_rate": 1 }"""));

        using var response = await sut.Ingest.PostAsync("/v1/chat/completions",
            TestHost.Json($$"""{"model":"experiment:{{key}}","user":"user-1","stream":true,"messages":[{"role":"user","content":"Where is my order?"}]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data: [DONE]", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var events = await EventuallyStoredAsync(sut, key, e => e.Count(x => x.Type == EventType.Completion) == 2);
        var (served, shadow) = (events.Single(e => e.Type == EventType.Completion && !e.Shadow), events.Single(e => e.Shadow));
        Assert.NotNull(served.TtftMs);
        Assert.Null(shadow.TtftMs);
        Assert.Equal($"This is a simulated answer from {shadow.Model}.", shadow.Output);
    }

    [Fact]
    public async Task ChatCompletions_StreamedServedCall_ShadowUpstreamGetsTheVariantAppliedWithoutStreaming()
    {
        const string key = "shadow-applied";
        var bodies = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            bodies.Enqueue(await reader.ReadToEndAsync());
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"id":"s1","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Warm."},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":2}}""");
        });
        await using var sut = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["providers:shadowed:type"] = "openai",
            ["providers:shadowed:base_url"] = upstream.BaseUrl,
        }, kestrel: true);
        await sut.CreateExperimentAsync(Experiment(key, shadowStage: """{ "variants": ["variant_a"], "sample_rate": 1 }""", shadowProvider: "shadowed"));

        using var response = await sut.Ingest.PostAsync("/v1/chat/completions",
            TestHost.Json($$"""{"model":"experiment:{{key}}","user":"user-1","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Where is my order?"}]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await response.Content.ReadAsStringAsync();
        await Eventually.TrueAsync(() => !bodies.IsEmpty);
        using var sent = System.Text.Json.JsonDocument.Parse(bodies.Single());
        var root = sent.RootElement;
        Assert.Equal(("gpt-4o-mini", 0.9, "Be warm."), (root.GetProperty("model").GetString(), root.GetProperty("temperature").GetDouble(),
            root.GetProperty("messages")[0].GetProperty("content").GetString()));
        Assert.False(root.TryGetProperty("stream", out var stream) && stream.ValueKind == System.Text.Json.JsonValueKind.True, "the shadow call must not stream");
        Assert.False(root.TryGetProperty("stream_options", out _));
        Assert.False(root.TryGetProperty("sim", out _));
        var events = await EventuallyStoredAsync(sut, key, e => e.Any(x => x.Shadow));
        Assert.Equal(("Warm.", 10L, 2L), (events.Single(e => e.Shadow).Output, events.Single(e => e.Shadow).PromptTokens, events.Single(e => e.Shadow).CompletionTokens));
    }

    [Fact]
    public async Task ChatCompletions_SampleRate02_ShadowsExactlyTheRequestsTheSamplerPicks()
    {
        const string key = "shadow-share";
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(Experiment(key, shadowStage: """{ "variants": ["variant_a"], "sample_rate": 0.2 }"""));
        var shadow = new ShadowStage(["variant_a"], 0.2);
        var served = new System.Collections.Concurrent.ConcurrentBag<string>();

        await Parallel.ForEachAsync(Enumerable.Range(0, 500), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            using var response = await ChatAsync(sut, key, $"user-{i}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            served.Add(response.Headers.GetValues("X-Rampart-Request-Id").Single());
        });

        var sampled = served.Where(id => ShadowSampler.Sampled(id, "variant_a", shadow)).ToHashSet(StringComparer.Ordinal);
        var events = await EventuallyStoredAsync(sut, key, e => e.Count(x => x.Type == EventType.Completion) == 500 + sampled.Count);
        // 500 draws at 0.2: 100 expected, 4 binomial standard deviations either side.
        var sd = Math.Sqrt(500 * 0.2 * 0.8);
        Assert.InRange(sampled.Count, 100 - (4 * sd), 100 + (4 * sd));
        Assert.Equal(sampled.Order(StringComparer.Ordinal), events.Where(e => e.Shadow).Select(e => e.PairId!).Order(StringComparer.Ordinal));
        Assert.Equal(sampled.Order(StringComparer.Ordinal), events.Where(e => e.Type == EventType.Completion && !e.Shadow && e.PairId is not null).Select(e => e.PairId!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ChatCompletions_ShadowOnOrOffAndShadowVariantFailing_UserGetsTheSameBodyAndHeaders()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(context =>
        {
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync("""{"id":"c1","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"Fixed answer."},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":3}}""");
        });
        var settings = new Dictionary<string, string?>
        {
            ["providers:fixed:type"] = "openai",
            ["providers:fixed:base_url"] = upstream.BaseUrl,
            ["providers:fixed:timeout"] = "5s",
        };
        const string key = "shadow-same";
        using var counts = new ShadowCounts();
        var answers = new List<(string Body, string Headers)>();
        foreach (var shadowOn in new[] { false, true })
        {
            await using var sut = await TestHost.StartAsync(settings, kestrel: true);
            await sut.CreateExperimentAsync(shadowOn
                ? Experiment(key, shadowStage: """{ "variants": ["variant_a"], "sample_rate": 1 }""", controlProvider: "fixed", shadowErrorRate: 1)
                : Experiment(key, shadowStage: null, controlProvider: "fixed", shadowErrorRate: 1));

            using var response = await ChatAsync(sut, key, "user-1");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var requestId = response.Headers.GetValues("X-Rampart-Request-Id").Single();
            var headers = string.Join('\n', response.Headers.Concat(response.Content.Headers)
                .Where(h => h.Key is not ("X-Rampart-Request-Id" or "Date"))
                .Select(h => h.Key + ": " + string.Join(',', h.Value)).Order(StringComparer.Ordinal));
            answers.Add((await response.Content.ReadAsStringAsync(), headers));
            if (shadowOn)
            {
                var events = await EventuallyStoredAsync(sut, key, e => e.Any(x => x.Shadow));
                var shadow = events.Single(e => e.Shadow);
                Assert.Equal(("variant_a", requestId), (shadow.Variant, shadow.PairId));
                Assert.NotNull(shadow.Error);
                await Eventually.TrueAsync(() => counts.Failures(key, "variant_a") == 1);
            }
        }

        Assert.Equal(answers[0], answers[1]);
        Assert.Contains("X-Rampart-Variant: control", answers[1].Headers, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatCompletions_RolledBackShadowVariant_IsNotCalled()
    {
        const string key = "shadow-rolled-back";
        using var counts = new ShadowCounts();
        await using var sut = await TestHost.StartAsync(new Dictionary<string, string?> { ["shadow:concurrency"] = "1" }, kestrel: true);
        await sut.CreateExperimentAsync(Experiment(key, shadowStage: """{ "variants": ["variant_a", "variant_b"], "sample_rate": 1 }"""));
        using var rollback = await sut.Admin.PostAsync($"/api/experiments/{key}/rollback", TestHost.Json("""{"variant":"variant_a","reason":"too costly"}"""));
        Assert.True(rollback.IsSuccessStatusCode, await rollback.Content.ReadAsStringAsync());

        for (var i = 0; i < 3; i++)
        {
            using var response = await ChatAsync(sut, key, $"user-{i}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // One worker takes the queue in order, and variant_a would have been queued before variant_b on every request.
        var events = await EventuallyStoredAsync(sut, key, e => e.Count(x => x.Shadow && x.Variant == "variant_b") == 3);
        Assert.DoesNotContain(events, e => e.Variant == "variant_a");
        Assert.Equal((0, 3), (counts.Calls(key, "variant_a"), counts.Calls(key, "variant_b")));
    }

    [Fact]
    public async Task ChatCompletions_ShadowBudgetSpent_StopsCallingCountsTheSkipsAndAlertsOnce()
    {
        const string key = "shadow-budget";
        using var counts = new ShadowCounts();
        var alerts = new CapturingAlertSink();
        await using var sut = await TestHost.StartAsync(new Dictionary<string, string?> { ["shadow:concurrency"] = "1" },
            services: s => s.AddSingleton<IAlertSink>(alerts), kestrel: true);
        // One simulated gpt-4o-mini answer costs more than the whole day's cap.
        await sut.CreateExperimentAsync(Experiment(key, shadowStage: """{ "variants": ["variant_a"], "sample_rate": 1, "max_cost_usd_per_day": 0.0000001 }"""));

        for (var i = 0; i < 5; i++)
        {
            using var response = await ChatAsync(sut, key, $"user-{i}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await Eventually.TrueAsync(() => counts.Skipped(key, "variant_a", ShadowMetrics.Budget) == 4 && counts.Calls(key, "variant_a") == 1,
            failure: () => $"budget skips {counts.Skipped(key, "variant_a", ShadowMetrics.Budget)}, calls {counts.Calls(key, "variant_a")}");
        var events = await EventuallyStoredAsync(sut, key, e => e.Count(x => x.Type == EventType.Completion) == 6);
        Assert.Single(events, e => e.Shadow);
        var alert = Assert.Single(alerts.Alerts, a => a.Experiment == key);
        Assert.Equal((ShadowWorkers.BudgetAlertKind, "variant_a"), (alert.Kind, alert.Variant));
        Assert.Contains("max_cost_usd_per_day", alert.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatCompletions_ShadowQueueFull_DropsAndCountsWithoutDelayingAnyRequest()
    {
        const string key = "shadow-full";
        using var counts = new ShadowCounts();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var slow = await HeldUpstreamAsync(release.Task);
        await using var sut = await TestHost.StartAsync(SlowShadowSettings(slow, ("shadow:queue_capacity", "1"), ("shadow:concurrency", "1")), kestrel: true);
        await sut.CreateExperimentAsync(Experiment(key, shadowStage: """{ "variants": ["variant_a"], "sample_rate": 1 }""", shadowProvider: "slow"));

        var slowest = TimeSpan.Zero;
        for (var i = 0; i < 6; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await ChatAsync(sut, key, $"user-{i}");
            slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            if (i == 0)
            {
                // The first shadow call is in flight (blocked) before the others come: one then waits, four are dropped.
                await Eventually.TrueAsync(() => slow.Hits == 1);
            }
        }

        await Eventually.TrueAsync(() => counts.Skipped(key, "variant_a", ShadowMetrics.QueueFull) == 4);
        Assert.True(slowest < TimeSpan.FromSeconds(5), $"the slowest call took {slowest}");
        release.SetResult();
        await EventuallyStoredAsync(sut, key, e => e.Count(x => x.Shadow) == 2);
    }

    [Fact]
    public async Task ChatCompletions_EventQueueRefusesTheShadowCompletion_CountedAsUnstored()
    {
        const string key = "shadow-unstored";
        using var counts = new ShadowCounts();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var slow = await HeldUpstreamAsync(release.Task);
        await using var sut = await TestHost.StartAsync(SlowShadowSettings(slow), kestrel: true);
        await sut.CreateExperimentAsync(Experiment(key, shadowStage: """{ "variants": ["variant_a"], "sample_rate": 1 }""", shadowProvider: "slow"));
        var queue = sut.Services.GetRequiredService<EventQueue>();

        using var response = await ChatAsync(sut, key, "user-1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Eventually.TrueAsync(() => slow.Hits == 1);
        queue.Refuse();   // as when the store fails and the journal is full: the shadow completion finds no room
        try
        {
            release.SetResult();
            await Eventually.TrueAsync(() => counts.Unstored(key, "variant_a") == 1);
        }
        finally
        {
            queue.Resume();
        }

        Assert.Equal(1, counts.Calls(key, "variant_a"));
    }

    [Fact]
    public async Task ChatCompletions_ShadowedRequestWithAJudge_BothAnswersJudgedAndPairedAndCompared()
    {
        const string key = "shadow-judged";
        await using var sut = await TestHost.StartAsync(kestrel: true);
        // A judge sampling almost nothing: the shadowed request's two answers are judged all the same.
        await sut.CreateExperimentAsync(Experiment(key, shadowStage: """{ "variants": ["variant_a"], "sample_rate": 1 }""",
            judges: """[{"name":"pairs","provider":"sim","model":"gpt-4o-mini","sample_rate":0.0001}]"""));

        using var response = await ChatAsync(sut, key, "user-1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var requestId = response.Headers.GetValues("X-Rampart-Request-Id").Single();
        var events = await EventuallyStoredAsync(sut, key, e => e.Count(x => x.Type == EventType.Feedback) == 3 && e.Count(x => x.Type == EventType.Completion) == 2);
        var shadow = events.Single(e => e.Type == EventType.Completion && e.Shadow);
        var verdicts = events.Where(e => e.Type == EventType.Feedback && e.Score == "judge_pairs").ToDictionary(e => e.Shadow);
        // And which of the two answers is better: 1, 0 or 0.5 for the shadow, a shadow event of the pair.
        var preference = events.Single(e => e.Score == "judge_pairs_preference");
        Assert.Equal((true, "variant_a", requestId, shadow.RequestId, $"judge_pairs_preference:{shadow.RequestId}"), (preference.Shadow, preference.Variant, preference.PairId, preference.RequestId, preference.Id));
        Assert.Contains(preference.Value!.Value, new[] { 0, 0.5, 1 });
        Assert.Equal(("control", requestId, requestId, $"judge_pairs:{requestId}"), (verdicts[false].Variant, verdicts[false].RequestId, verdicts[false].PairId, verdicts[false].Id));
        Assert.Equal(("variant_a", shadow.RequestId, requestId, $"judge_pairs:{shadow.RequestId}"), (verdicts[true].Variant, verdicts[true].RequestId, verdicts[true].PairId, verdicts[true].Id));
    }

    [Fact]
    public async Task ChatCompletions_RequestSigma_ShadowAnswerSharesTheServedRequestsFactor()
    {
        const string key = "shadow-request-sigma";
        await using var sut = await TestHost.StartAsync();
        // No per-call part: each answer's latency is its median times the request's factor, the same for both answers of a pair.
        // Medians of 10 and 20 ms keep every drawn latency far below the shadow call's 60 s timeout (a factor of e^4 once
        // took an 800 ms median's shadow past it, and a timed-out call's latency is the timeout).
        await sut.CreateExperimentAsync($$"""
            { "key": "{{key}}", "control": "control",
              "variants": {
                "control":   { "provider": "sim", "model": "sim-small", "params": { "sim": { "error_rate": 0, "latency_sigma": 0, "request_sigma": 1, "latency_ms_median": 10 } } },
                "variant_a": { "provider": "sim", "model": "sim-small", "params": { "sim": { "error_rate": 0, "latency_sigma": 0, "request_sigma": 1, "latency_ms_median": 20 } } } },
              "stages": [ { "shadow": { "variants": ["variant_a"], "sample_rate": 1 }, "min_duration": "1d" },
                          { "weights": { "control": 50, "variant_a": 50 } } ] }
            """);

        for (var i = 0; i < 3; i++)
        {
            using var response = await ChatAsync(sut, key, $"user-{i}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var events = await EventuallyStoredAsync(sut, key, e => e.Count(x => x.Type == EventType.Completion) == 6);
        var completions = events.Where(e => e.Type == EventType.Completion).ToList();
        var controls = completions.Where(e => !e.Shadow).ToList();
        Assert.Equal(3, controls.Select(c => c.LatencyMs).Distinct().Count());
        Assert.All(controls, control =>
        {
            var shadow = completions.Single(e => e.Shadow && e.PairId == control.RequestId);
            Assert.Equal(2, shadow.LatencyMs!.Value / control.LatencyMs!.Value, 9);
        });
    }

    // Three variants on sim that never fail unless asked (variant_a priced as gpt-4o-mini), a shadow stage (or, when null, a control-only stage) first.
    private static string Experiment(string key, string? shadowStage, string controlProvider = "sim", string shadowProvider = "sim", double shadowErrorRate = 0, string? judges = null)
    {
        var errorRate = shadowErrorRate.ToString(CultureInfo.InvariantCulture);
        // A day's min_duration: the monitor must not move the experiment on to the next stage while the test runs.
        var first = shadowStage is null
            ? """{ "weights": { "control": 100, "variant_a": 0, "variant_b": 0 }, "min_duration": "1d" }"""
            : $$"""{ "shadow": {{shadowStage}}, "min_duration": "1d" }""";
        return $$"""
            { "key": "{{key}}", "control": "control",
              "variants": {
                "control":   { "provider": "{{controlProvider}}", "model": "gpt-4o", "temperature": 0.7, "system_prompt": "Be concise.",
                               "params": { "sim": { "error_rate": 0 } } },
                "variant_a": { "provider": "{{shadowProvider}}", "model": "gpt-4o-mini", "temperature": 0.9, "system_prompt": "Be warm.",
                               "params": { "sim": { "latency_ms_median": 900, "error_rate": {{errorRate}} } } },
                "variant_b": { "provider": "sim", "model": "sim-large", "params": { "sim": { "latency_ms_median": 700, "error_rate": 0 } } } },
              "stages": [ {{first}},
                          { "weights": { "control": 60, "variant_a": 20, "variant_b": 20 } } ],
              "logging": { "content": "full" }{{(judges is null ? "" : ", \"judges\": " + judges)}} }
            """;
    }

    private static Task<HttpResponseMessage> ChatAsync(TestHost sut, string key, string unit) =>
        sut.Ingest.PostAsync("/v1/chat/completions",
            TestHost.Json($$"""{"model":"experiment:{{key}}","user":"{{unit}}","messages":[{"role":"user","content":"Where is my order?"}]}"""));

    private static async Task<List<ExperimentEvent>> EventuallyStoredAsync(TestHost sut, string key, Func<List<ExperimentEvent>, bool> condition)
    {
        List<ExperimentEvent> events = [];
        await Eventually.TrueAsync(async () => condition(events = await sut.StoredAsync(key)), failure: () => Task.FromResult($"stored: {events.Count} events, {events.Count(e => e.Shadow)} shadow"));
        return events;
    }

    // The sum of a Prometheus counter's samples of the experiment whose labels also contain labelText.
    private static double Metric(string metrics, string name, string experiment, string labelText) =>
        metrics.Split('\n')
            .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) && line.Contains($"rampart_experiment=\"{experiment}\"", StringComparison.Ordinal)
                && line.Contains(labelText, StringComparison.Ordinal))
            .Sum(line => double.Parse(SampleValue().Match(line).Groups[1].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"\}\s+(\S+)")]
    private static partial Regex SampleValue();

    // An upstream that answers only once release completes: shadow calls to it stay in flight until then.
    private static Task<ScriptedUpstream> HeldUpstreamAsync(Task release) => ScriptedUpstream.StartAsync(async context =>
    {
        await release.WaitAsync(context.RequestAborted);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("""{"id":"s1","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"Late."},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":2}}""");
    });

    // The provider `slow` at that upstream, and shadow calls allowed to wait for it an hour; plus any other settings.
    private static Dictionary<string, string?> SlowShadowSettings(ScriptedUpstream slow, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["shadow:timeout"] = "1h",
            ["providers:slow:type"] = "openai",
            ["providers:slow:base_url"] = slow.BaseUrl,
            ["providers:slow:timeout"] = "1h",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }
}
