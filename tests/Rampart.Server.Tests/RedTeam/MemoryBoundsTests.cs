using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Rampart.Core.Events;
using Rampart.Server.Events;
using Rampart.Server.Telemetry;
using Rampart.Server.Tests.Events;
using Rampart.Testing;

namespace Rampart.Server.Tests.RedTeam;

/// <summary>
/// Attacks on the server's memory: hostile upstream answers of 300 MB, 20,000 pieces of feedback for calls that never
/// happened, thousands of made-up model names and methods. Each holds memory (measured in this process: server, fake
/// upstream and client together) or the size of <c>/metrics</c> under a stated figure.
/// </summary>
[Collection(nameof(MemoryBoundsTests))]
public sealed partial class MemoryBoundsTests(ITestOutputHelper output)
{
    private const string Messages = """[{"role":"user","content":"Tell me everything."}]""";

    /// <summary>The most the managed heap may grow while the server refuses a 300 MB answer (it holds at most 8 MiB of it).</summary>
    private const double MaxManagedGrowthMiB = 100;

    /// <summary>The most the working set (RSS) may grow meanwhile.</summary>
    private const double MaxWorkingSetGrowthMiB = 250;

    [Theory]
    [InlineData("json", "gateway.max_response_bytes")]
    [InlineData("line", "gateway.max_stream_line_bytes")]
    public async Task Gateway_Upstream300MbAnswer_Is502NamingTheLimitWithOneFailedCompletionAndBoundedMemory(string mode, string limit)
    {
        await using var upstream = await HugeUpstream.StartAsync();
        await using var sut = await StartAsync(upstream, mode);
        var stream = mode == "line" ? "true" : "false";

        HttpResponseMessage response;
        await using (var peak = new MemoryPeak())
        {
            response = await sut.Ingest.PostAsync("/v1/chat/completions",
                TestHost.Json($$"""{"model":"experiment:mem-{{mode}}","user":"u1","stream":{{stream}},"messages":{{Messages}}}"""));
            output.WriteLine($"{mode}: {peak}; the upstream wrote {upstream.Written / 1048576.0:F1} MiB before the gateway hung up");
            Assert.True(peak.ManagedGrowthMiB < MaxManagedGrowthMiB, peak.ToString());
            Assert.True(peak.WorkingSetGrowthMiB < MaxWorkingSetGrowthMiB, peak.ToString());
        }

        using (response)
        {
            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
            var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
            Assert.Equal("upstream_response_too_large", error.GetProperty("code").GetString());
            Assert.Contains(limit, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        var completion = await OneCompletionAsync(sut, $"mem-{mode}");
        Assert.Contains(limit, completion.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gateway_Upstream300MbErrorBody_ReadsOnlyTheLimitAndAnswersItsStatus()
    {
        await using var upstream = await HugeUpstream.StartAsync();
        await using var sut = await StartAsync(upstream, "error");

        await using var peak = new MemoryPeak();
        using var response = await sut.Ingest.PostAsync("/v1/chat/completions",
            TestHost.Json($$"""{"model":"experiment:mem-error","user":"u1","messages":{{Messages}}}"""));

        output.WriteLine($"error: {peak}; the upstream wrote {upstream.Written / 1048576.0:F1} MiB");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var message = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("message").GetString();
        Assert.True(message!.Length <= 501, $"{message.Length} characters");
        Assert.True(peak.ManagedGrowthMiB < MaxManagedGrowthMiB, peak.ToString());
        Assert.NotNull((await OneCompletionAsync(sut, "mem-error")).Error);
    }

    [Fact]
    public async Task Gateway_UpstreamStreamBreaksOff_ClientGetsAnSseErrorEventAndOneFailedCompletion()
    {
        await using var upstream = await HugeUpstream.StartAsync();
        await using var sut = await StartAsync(upstream, "broken");

        using var response = await sut.Ingest.PostAsync("/v1/chat/completions",
            TestHost.Json($$"""{"model":"experiment:mem-broken","user":"u1","stream":true,"messages":{{Messages}}}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var data = text.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l[6..]).ToList();
        Assert.Equal(2, data.Count);
        Assert.Contains("Half an ans", data[0], StringComparison.Ordinal);
        var error = JsonDocument.Parse(data[1]).RootElement.GetProperty("error");
        Assert.Equal("upstream_stream_broken", error.GetProperty("code").GetString());
        Assert.DoesNotContain("[DONE]", text, StringComparison.Ordinal);
        var completion = await OneCompletionAsync(sut, "mem-broken");
        Assert.NotNull(completion.Error);
        Assert.Equal("Half an ans", completion.Output);
    }

    [Fact]
    public async Task Gateway_LongStream_IsRelayedWholeAndItsStoredOutputIsCutAtTheLimit()
    {
        await using var upstream = await HugeUpstream.StartAsync();
        await using var sut = await StartAsync(upstream, "long", new() { ["gateway:max_stored_output_chars"] = "4096" });

        using var response = await sut.Ingest.PostAsync("/v1/chat/completions",
            TestHost.Json($$"""{"model":"experiment:mem-long","user":"u1","stream":true,"messages":{{Messages}}}"""));

        var text = await response.Content.ReadAsStringAsync();
        Assert.EndsWith("data: [DONE]\n\n", text, StringComparison.Ordinal);
        Assert.True(text.Length > 4_000_000, $"{text.Length} characters relayed");
        var completion = await OneCompletionAsync(sut, "mem-long");
        Assert.Null(completion.Error);
        Assert.Equal(4096 + Rampart.Llm.Providers.UpstreamLimits.TruncatedMarker.Length, completion.Output!.Length);
        Assert.EndsWith(Rampart.Llm.Providers.UpstreamLimits.TruncatedMarker, completion.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feedback_20000ForUnknownRequestIds_CappedWith429AndBoundedAcrossARestart()
    {
        using var folder = new TempDirectory();
        var comment = new string('c', 4096);
        var statuses = new int[20_000];
        double growthMiB;
        await using (var first = await TestHost.StartAsync(new Dictionary<string, string?> { ["feedback:max_pending"] = "500" }, folder: folder))
        {
            GC.Collect();
            var before = GC.GetTotalMemory(true);
            await Parallel.ForEachAsync(Enumerable.Range(0, statuses.Length), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, token) =>
            {
                using var posted = await first.Ingest.PostAsync("/api/feedback",
                    TestHost.Json($$"""{"request_id":"never-{{i}}","score":"s","value":1,"comment":"{{comment}}"}"""), token);
                statuses[i] = (int)posted.StatusCode;
                if (posted.StatusCode == HttpStatusCode.TooManyRequests && i % 1000 == 0)
                {
                    Assert.Equal("1", posted.Headers.RetryAfter?.ToString());
                    Assert.Contains("feedback.max_pending", await posted.Content.ReadAsStringAsync(token), StringComparison.Ordinal);
                }
            });
            growthMiB = (GC.GetTotalMemory(true) - before) / 1048576.0;
            output.WriteLine($"20,000 feedback posts of 4 KiB comments: managed heap after {growthMiB:F1} MiB over before");

            Assert.Equal(500, statuses.Count(s => s == 202));
            Assert.Equal(19_500, statuses.Count(s => s == 429));
            Assert.Equal(500, first.Services.GetRequiredService<FeedbackJoiner>().WaitingCount);
            Assert.True(growthMiB < 32, $"{growthMiB:F1} MiB");
        }

        // A smaller limit at the next start keeps the newest 100 and drops (and counts) the 400 oldest.
        await using var second = await TestHost.StartAsync(new Dictionary<string, string?> { ["feedback:max_pending"] = "100" }, folder: folder);
        Assert.Equal(100, second.Services.GetRequiredService<FeedbackJoiner>().WaitingCount);
        Assert.Equal(100, (await second.Services.GetRequiredService<IPendingFeedbackStore>().ListAsync()).Count);
        var metrics = await second.Read.GetStringAsync("/metrics");
        Assert.Matches(@"rampart_feedback_pending_dropped_total\{[^}]*rampart_reason=""over_limit""[^}]*\} 400", metrics);
        Assert.Matches(@"rampart_feedback_pending(\{[^}]*\})? 100", metrics);
    }

    [Fact]
    public async Task Metrics_ThousandsOfMadeUpModelsAndMethods_SizeStaysBounded()
    {
        await using var upstream = await HugeUpstream.StartAsync();
        await using var sut = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["providers:ok:type"] = "openai", ["providers:ok:base_url"] = new Uri(upstream.BaseUrl, "ok/").ToString(), ["gateway:default_provider"] = "ok",
        });
        await CallsAsync(sut, 0, 20);
        await ScrapeAsync(sut); // the first scrape adds its own series
        var before = WithoutRuntimeMeter(await ScrapeAsync(sut));

        await CallsAsync(sut, 20, 2_000);

        var scraped = await ScrapeAsync(sut);
        var after = WithoutRuntimeMeter(scraped);
        output.WriteLine($"/metrics without the runtime's families: {before.Length} bytes after 20 made-up models and methods, {after.Length} after 2,000");
        var added = Series(after).Except(Series(before)).ToList();
        Assert.True(added.Count == 0, "new series: " + string.Join(", ", added.Take(5)));
        Assert.DoesNotContain("made-up-", scraped, StringComparison.Ordinal);
        Assert.DoesNotContain("VERB", scraped, StringComparison.Ordinal);
        Assert.Contains("gen_ai_request_model=\"other\"", after, StringComparison.Ordinal);
        Assert.Contains("http_request_method=\"_OTHER\"", after, StringComparison.Ordinal);
        Assert.Contains("rampart_server_requests_total{", after, StringComparison.Ordinal);
        Assert.True(after.Length - before.Length < 8192, $"the server's own families on /metrics grew from {before.Length} to {after.Length} bytes");
    }

    /// <summary>
    /// The scrape less the .NET runtime meter's families (GC, thread pool, exceptions by type). That meter is the process's,
    /// on every test server's <c>/metrics</c> (TestHost): another test's first <see cref="IOException"/> adds a series to
    /// it here. No request's model or method reaches its labels; this server's own meters are what the calls could grow.
    /// </summary>
    private static string WithoutRuntimeMeter(string metrics)
    {
        // Each family is its "# TYPE" line, its "# HELP" line and its samples, every sample labelled with its meter.
        var runtime = $"otel_scope_name=\"{RampartTelemetry.RuntimeMeter}\"";
        var families = new List<List<string>>();
        foreach (var line in metrics.Split('\n'))
        {
            if (families.Count == 0 || line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                families.Add([]);
            }

            families[^1].Add(line);
        }

        return string.Join('\n', families.Where(family => !family.Exists(line => line.Contains(runtime, StringComparison.Ordinal))).SelectMany(family => family));
    }

    /// <summary>Each sample's name and labels, without its value and timestamp.</summary>
    private static HashSet<string> Series(string metrics) =>
        [.. metrics.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l.LastIndexOf('}') is > 0 and var end ? l[..(end + 1)] : l.Split(' ')[0])];

    private static async Task CallsAsync(TestHost sut, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            using var call = await sut.Ingest.PostAsync("/v1/chat/completions", TestHost.Json($$"""{"model":"made-up-{{i}}","messages":{{Messages}}}"""));
            Assert.Equal(HttpStatusCode.OK, call.StatusCode);
            if (i % 10 == 0)
            {
                using var request = new HttpRequestMessage(new HttpMethod($"VERB{i}"), "/api/nowhere");
                using var odd = await sut.Ingest.SendAsync(request);
            }
        }
    }

    private static async Task<string> ScrapeAsync(TestHost sut)
    {
        // Instruments record as a request ends, just after its client has the answer, and the exporter serves a scrape
        // again for 300 ms: wait out both.
        await Task.Delay(500);
        return await sut.Read.GetStringAsync("/metrics");
    }

    private static Task<TestHost> StartAsync(HugeUpstream upstream, string mode, Dictionary<string, string?>? settings = null)
    {
        settings ??= [];
        settings[$"providers:{mode}:type"] = "openai";
        settings[$"providers:{mode}:base_url"] = new Uri(upstream.BaseUrl, mode + "/").ToString();
        return StartWithExperimentAsync(settings, mode);
    }

    private static async Task<TestHost> StartWithExperimentAsync(Dictionary<string, string?> settings, string mode)
    {
        var host = await TestHost.StartAsync(settings);
        await host.CreateExperimentAsync($$"""
            { "key": "mem-{{mode}}", "control": "control",
              "variants": { "control": { "provider": "{{mode}}", "model": "gpt-4o" }, "other": { "provider": "{{mode}}", "model": "gpt-4o" } },
              "stages": [ { "weights": { "control": 50, "other": 50 } } ],
              "logging": { "content": "full" } }
            """);
        return host;
    }

    /// <summary>The experiment's one completion event, after checking that no second one follows.</summary>
    private static async Task<ExperimentEvent> OneCompletionAsync(TestHost sut, string key)
    {
        await DataPlaneTests.EventuallyAsync(sut, key, e => e.Any(x => x.Type == EventType.Completion));
        await Task.Delay(300);
        return Assert.Single(await sut.StoredAsync(key), e => e.Type == EventType.Completion);
    }
}
