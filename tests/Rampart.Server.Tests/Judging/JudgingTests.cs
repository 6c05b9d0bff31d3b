using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;
using Microsoft.Extensions.DependencyInjection;
using Rampart.Core.Events;
using Rampart.Core.Experiments;
using Rampart.Llm.Judging;
using Rampart.Llm.Pricing;
using Rampart.Server.Tests.RedTeam;
using Rampart.Testing;

namespace Rampart.Server.Tests.Judging;

/// <summary>Judges end to end: a real server on 127.0.0.1, the simulated provider, and judges that rate, fail or block.</summary>
[Collection(nameof(JudgingTests))]
public sealed partial class JudgingTests
{
    private const string Key = "judged";

    [Fact]
    public async Task ChatCompletions_SimJudgeWithLoggingNone_StoresItsVerdictAsJudgeFeedback()
    {
        await using var sut = await TestHost.StartAsync(kestrel: true);
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key, logging: "none",
            judges: """[{"name":"quality","provider":"sim","model":"gpt-4o-mini","sample_rate":1.0}]"""));

        using var response = await ChatAsync(sut, "user-1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var requestId = response.Headers.GetValues("X-Rampart-Request-Id").Single();
        var events = await EventuallyStoredAsync(sut, e => e.Any(x => x.Type == EventType.Feedback));
        var feedback = events.Single(e => e.Type == EventType.Feedback);
        var judge = new JudgeDefinition("quality", "sim", "gpt-4o-mini", SampleRate: 1);
        var rating = new SimulatedJudge(judge).Rating(0.8, requestId);
        var cost = new CostEstimator(PriceTable.BuiltIn).CostUsd("gpt-4o-mini", SimulatedJudge.PromptTokens, SimulatedJudge.CompletionTokens);
        Assert.Equal(
            ("judge_quality", judge.Normalise(rating), "judge", "gpt-4o-mini", cost, requestId, $"judge_quality:{requestId}", "user-1"),
            (feedback.Score, feedback.Value, feedback.Source, feedback.Model, feedback.CostUsd, feedback.RequestId, feedback.Id, feedback.Unit));
        Assert.Equal(events.Single(e => e.Type == EventType.Completion).Variant, feedback.Variant);
        Assert.Null(events.Single(e => e.Type == EventType.Completion).Input);
        await Eventually.TrueAsync(async () => Metric(await sut.Read.GetStringAsync("/metrics"), "rampart_judge_verdicts_total", "rampart_judge=\"quality\"") == 1);
    }

    [Fact]
    public async Task ChatCompletions_2000CallsAtSampleRate02_JudgedShareWithinFourBinomialSds()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key, logging: "none",
            judges: """[{"name":"quality","provider":"sim","model":"judge-sim","sample_rate":0.2}]"""));
        var requestIds = new System.Collections.Concurrent.ConcurrentBag<string>();

        await Parallel.ForEachAsync(Enumerable.Range(0, 2000), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            using var response = await ChatAsync(sut, $"user-{i}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            requestIds.Add(response.Headers.GetValues("X-Rampart-Request-Id").Single());
        });

        var expected = requestIds.Count(id => JudgeSampler.Sampled(id, new JudgeDefinition("quality", "sim", "judge-sim", SampleRate: 0.2)));
        // Verdicts are stored in their own batches, so a verdict may be stored before the last completions.
        var events = await EventuallyStoredAsync(sut, e => e.Count(x => x.Type == EventType.Feedback) >= expected && e.Count(x => x.Type == EventType.Completion) == 2000);
        var sd = Math.Sqrt(2000 * 0.2 * 0.8);
        Assert.InRange(expected, 400 - (4 * sd), 400 + (4 * sd));
        Assert.Equal(expected, events.Count(e => e.Type == EventType.Feedback));
    }

    [Fact]
    public async Task ChatCompletions_JudgeBudgetSpent_StopsJudgingAndCountsTheSkips()
    {
        await using var sut = await TestHost.StartAsync(new Dictionary<string, string?> { ["judges:concurrency"] = "1" }, kestrel: true);
        // One simulated verdict at gpt-4o-mini's price costs $0.000084, above the whole day's cap. A judge name no other
        // test uses: the server's meter is named per process, and other tests' judges are skipped for budget too.
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key,
            judges: """[{"name":"daily_cap","provider":"sim","model":"gpt-4o-mini","sample_rate":1.0,"max_cost_usd_per_day":0.00005}]"""));

        for (var i = 0; i < 5; i++)
        {
            using var response = await ChatAsync(sut, $"user-{i}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await Eventually.TrueAsync(async () =>
        {
            var metrics = await sut.Read.GetStringAsync("/metrics");
            return Metric(metrics, "rampart_judge_skipped_total", "rampart_reason=\"budget\"", "rampart_judge=\"daily_cap\"") == 4
                && Metric(metrics, "rampart_judge_verdicts_total", "rampart_judge=\"daily_cap\"") == 1;
        });
        var metrics = await sut.Read.GetStringAsync("/metrics");
        Assert.True(Metric(metrics, "rampart_judge_cost_usd_total", "rampart_judge=\"daily_cap\"") > 0);
        await EventuallyStoredAsync(sut, e => e.Count(x => x.Type == EventType.Feedback) == 1);
    }

    [Fact]
    public async Task ChatCompletions_JudgeFails_AnswerUnchangedAnd200AndTheFailureCounted()
    {
        await using var sut = await TestHost.StartAsync(kestrel: true,
            services: s => s.AddKeyedSingleton<IEvaluator>("broken", new ScriptedEvaluator(_ => throw new InvalidOperationException("judge down"))));
        // A judge name no other test uses: the server's meter is named per process, so another test host's judge counts
        // (one still shutting down) must not land on this label.
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key, judges: """[{"name":"broken","provider":"sim","model":"judge","sample_rate":1.0}]"""));

        using var response = await ChatAsync(sut, "user-1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("a simulated answer", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await Eventually.TrueAsync(async () => Metric(await sut.Read.GetStringAsync("/metrics"), "rampart_judge_failures_total", "rampart_judge=\"broken\"") == 1,
            failure: async () => string.Join("\n", (await sut.Read.GetStringAsync("/metrics")).Split('\n').Where(l => l.Contains("judge", StringComparison.Ordinal))) + "\n" + string.Join("\n", (await sut.StoredAsync(Key)).Select(e => e.Type + " " + e.Variant)));
        Assert.DoesNotContain(await sut.StoredAsync(Key), e => e.Type == EventType.Feedback);
    }

    [Fact]
    public async Task ChatCompletions_RubricJudgeOnAFakeOpenAiUpstream_StoresItsRating()
    {
        await using var judgeModel = await ScriptedUpstream.StartAsync(context =>
        {
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync("""{"id":"j1","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"```json\n{\"rating\": 4, \"reason\": \"Clear.\"}\n```"},"finish_reason":"stop"}],"usage":{"prompt_tokens":300,"completion_tokens":20}}""");
        });
        await using var sut = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["providers:grader:type"] = "openai",
            ["providers:grader:base_url"] = judgeModel.BaseUrl,
            ["providers:grader:timeout"] = "5s",
        }, kestrel: true);
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key, judges: """[{"name":"helpful","provider":"grader","model":"gpt-4o","sample_rate":1.0}]"""));

        using var response = await ChatAsync(sut, "user-1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = await EventuallyStoredAsync(sut, e => e.Any(x => x.Type == EventType.Feedback));
        var feedback = events.Single(e => e.Type == EventType.Feedback);
        Assert.Equal(("judge_helpful", 0.75, "gpt-4o", new CostEstimator(PriceTable.BuiltIn).CostUsd("gpt-4o", 300, 20)), (feedback.Score, feedback.Value, feedback.Model, feedback.CostUsd));
        Assert.Equal(1, judgeModel.Hits);
    }

    [Fact]
    public async Task ChatCompletions_JudgeQueueFull_DropsAndCountsWithoutDelayingAnyRequest()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var sut = await TestHost.StartAsync(
            new Dictionary<string, string?> { ["judges:queue_capacity"] = "1", ["judges:concurrency"] = "1", ["judges:timeout"] = "1h" },
            services: s => s.AddKeyedSingleton<IEvaluator>("quality", new ScriptedEvaluator(async ct =>
            {
                await release.Task.WaitAsync(ct);
                return 3;
            })),
            kestrel: true);
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key, judges: """[{"name":"quality","provider":"sim","model":"judge","sample_rate":1.0}]"""));

        var slowest = TimeSpan.Zero;
        for (var i = 0; i < 6; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await ChatAsync(sut, $"user-{i}");
            slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // One call is being judged (blocked), one waits in the queue of one, the other four are dropped.
        await Eventually.TrueAsync(async () => Metric(await sut.Read.GetStringAsync("/metrics"), "rampart_judge_skipped_total", "rampart_reason=\"queue_full\"") == 4);
        Assert.True(slowest < TimeSpan.FromSeconds(5), $"the slowest call took {slowest}");
        release.SetResult();
        await EventuallyStoredAsync(sut, e => e.Count(x => x.Type == EventType.Feedback) == 2);
    }

    [Fact]
    public async Task ChatCompletions_MessagesLongerThanTheQueuesBytes_DroppedAndCountedTheShortOneJudged()
    {
        await using var sut = await TestHost.StartAsync(new Dictionary<string, string?> { ["judges:queue_max_bytes"] = "1024" }, kestrel: true);
        // A judge name no other test uses: the server's meter is named per process.
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key, judges: """[{"name":"bytes","provider":"sim","model":"judge","sample_rate":1.0}]"""));

        using var longOne = await ChatAsync(sut, "user-long", new string('x', 4_000));
        using var shortOne = await ChatAsync(sut, "user-short");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (longOne.StatusCode, shortOne.StatusCode));
        await Eventually.TrueAsync(async () => Metric(await sut.Read.GetStringAsync("/metrics"), "rampart_judge_skipped_total", "rampart_judge=\"bytes\"") == 1);
        var verdicts = (await EventuallyStoredAsync(sut, e => e.Any(x => x.Type == EventType.Feedback))).Where(e => e.Type == EventType.Feedback).ToList();
        Assert.Equal(["user-short"], verdicts.Select(v => v.Unit));
    }

    private static Task<HttpResponseMessage> ChatAsync(TestHost sut, string unit, string content = "Where is my order?")
    {
        return sut.Ingest.PostAsync("/v1/chat/completions",
            TestHost.Json($$"""{"model":"experiment:{{Key}}","user":"{{unit}}","messages":[{"role":"user","content":"{{content}}"}]}"""));
    }

    private static async Task<List<ExperimentEvent>> EventuallyStoredAsync(TestHost sut, Func<List<ExperimentEvent>, bool> condition)
    {
        List<ExperimentEvent> events = [];
        await Eventually.TrueAsync(async () => condition(events = await sut.StoredAsync(Key)));
        return events;
    }

    // The sum of a Prometheus counter's samples whose labels contain every one of labelTexts.
    internal static double Metric(string metrics, string name, params string[] labelTexts) =>
        metrics.Split('\n')
            .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) && labelTexts.All(t => line.Contains(t, StringComparison.Ordinal)))
            .Sum(line => double.Parse(SampleValue().Match(line).Groups[1].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"\}\s+(\S+)")]
    private static partial Regex SampleValue();

    private sealed class ScriptedEvaluator(Func<CancellationToken, Task<double>> rate) : IEvaluator
    {
        public IReadOnlyCollection<string> EvaluationMetricNames => ["judge_quality"];

        public async ValueTask<EvaluationResult> EvaluateAsync(IEnumerable<ChatMessage> messages, ChatResponse modelResponse, ChatConfiguration? chatConfiguration = null,
            IEnumerable<EvaluationContext>? additionalContext = null, CancellationToken cancellationToken = default) =>
            new(new NumericMetric("judge_quality", await rate(cancellationToken)));
    }
}
