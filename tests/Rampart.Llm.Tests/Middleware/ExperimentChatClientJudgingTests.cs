using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Rampart.Core.Events;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;
using Rampart.Llm.Judging;
using Rampart.Llm.Middleware;
using Rampart.Llm.Pricing;
using Rampart.Llm.Tests.Fakes;
using Rampart.Llm.Tests.Judging;
using Rampart.Testing;

namespace Rampart.Llm.Tests.Middleware;

// Each test names its judges alone: the counts are read from a meter shared by the process.
public sealed class ExperimentChatClientJudgingTests
{
    private const string Key = "judged-in-process";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider time = new(SeedExperiment.Epoch);
    private readonly RecordingEventSink sink = new();

    [Fact]
    public async Task GetResponseAsync_SimJudgeAtSampleRate1_ItsVerdictReachesTheSinkAsJudgeFeedback()
    {
        var judge = new JudgeDefinition("mw_sim", "sim", "gpt-4o-mini", SampleRate: 1);
        using var sut = Create(judge);

        var response = await sut.GetResponseAsync(Conversation(), For("user-1"));

        var requestId = (string)response.AdditionalProperties![ExperimentChatClient.RequestIdPropertyName]!;
        var feedback = await FeedbackAsync("judge_mw_sim");
        var completion = sink.Events.Single(e => e.Type == EventType.Completion);
        var cost = new CostEstimator(PriceTable.BuiltIn).CostUsd("gpt-4o-mini", SimulatedJudge.PromptTokens, SimulatedJudge.CompletionTokens);
        Assert.Equal(
            (judge.Normalise(new SimulatedJudge(judge).Rating(0.8, requestId)), "judge", "gpt-4o-mini", cost, requestId, $"judge_mw_sim:{requestId}", "user-1", completion.Variant, completion.Stage),
            (feedback.Value, feedback.Source, feedback.Model, feedback.CostUsd, feedback.RequestId, feedback.Id, feedback.Unit, feedback.Variant, feedback.Stage));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_SimJudgeAtSampleRate1_TheStreamedAnswerIsJudged()
    {
        using var sut = Create(new JudgeDefinition("mw_stream", "sim", "judge-sim", SampleRate: 1));

        await foreach (var _ in sut.GetStreamingResponseAsync(Conversation(), For("user-1")))
        {
        }

        var feedback = await FeedbackAsync("judge_mw_stream");
        Assert.Equal(sink.Events.Single(e => e.Type == EventType.Completion).RequestId, feedback.RequestId);
    }

    [Fact]
    public async Task GetResponseAsync_JudgeAtSampleRate0_NoFeedbackFromIt()
    {
        // The judge at 1 is the clock: once its verdict is in, the one at 0 would have been offered with it.
        using var sut = Create(new JudgeDefinition("mw_never", "sim", "judge-sim", SampleRate: 0), new JudgeDefinition("mw_always", "sim", "judge-sim", SampleRate: 1));

        await sut.GetResponseAsync(Conversation(), For("user-1"));

        await FeedbackAsync("judge_mw_always");
        Assert.DoesNotContain(sink.Events, e => e.Score == "judge_mw_never");
    }

    [Fact]
    public async Task GetResponseAsync_JudgeThrows_TheCallSucceedsAndTheFailureIsCounted()
    {
        using var counts = new JudgeCounts();
        await using var services = Services(s => s.AddKeyedSingleton<IEvaluator>("mw_broken", new ScriptedEvaluator("mw_broken", new InvalidOperationException("judge down"))));
        using var sut = Build(services, new JudgeDefinition("mw_broken", "sim", "judge-sim", SampleRate: 1));

        var response = await sut.GetResponseAsync(Conversation(), For("user-1"));

        Assert.Equal("Hello, world", response.Text);
        await Eventually.TrueAsync(() => counts.Failures("mw_broken") == 1);
        Assert.DoesNotContain(sink.Events, e => e.Type == EventType.Feedback);
    }

    [Fact]
    public async Task GetResponseAsync_SlowJudge_TheResponseIsReturnedBeforeTheJudgeFinishes()
    {
        var slow = new ScriptedEvaluator("mw_slow") { Blocks = true };
        await using var services = Services(s => s.AddKeyedSingleton<IEvaluator>("mw_slow", slow));
        using var sut = Build(services, new JudgeDefinition("mw_slow", "sim", "judge-sim", SampleRate: 1));

        var response = await sut.GetResponseAsync(Conversation(), For("user-1")).WaitAsync(Bound);

        Assert.Equal("Hello, world", response.Text);
        await slow.Started.Task.WaitAsync(Bound);
        Assert.DoesNotContain(sink.Events, e => e.Type == EventType.Feedback);
        slow.Release.SetResult();
        Assert.Equal(0.75, (await FeedbackAsync("judge_mw_slow")).Value);
    }

    [Fact]
    public async Task GetResponseAsync_JudgeQueueFull_DroppedAndCountedAndTheCallsAnswered()
    {
        using var counts = new JudgeCounts();
        var slow = new ScriptedEvaluator("mw_full") { Blocks = true };
        await using var services = Services(s => s
            .AddKeyedSingleton<IEvaluator>("mw_full", slow)
            .Configure<JudgeOptions>(o => (o.QueueCapacity, o.Concurrency) = (1, 1)));
        using var sut = Build(services, new JudgeDefinition("mw_full", "sim", "judge-sim", SampleRate: 1));

        await sut.GetResponseAsync(Conversation(), For("user-1")).WaitAsync(Bound);
        await slow.Started.Task.WaitAsync(Bound);
        await sut.GetResponseAsync(Conversation(), For("user-2")).WaitAsync(Bound);
        await sut.GetResponseAsync(Conversation(), For("user-3")).WaitAsync(Bound);

        Assert.Equal(1, counts.QueueFull("mw_full"));
        slow.Release.SetResult();
        await Eventually.TrueAsync(() => counts.Verdicts("mw_full") == 2);
        Assert.Equal(3, sink.Events.Count(e => e.Type == EventType.Completion));
    }

    [Fact]
    public async Task UseRampartExperiment_BacklogRegistered_ItJudgesTheCalls()
    {
        using var counts = new JudgeCounts();
        var shared = new InProcessJudgeBacklog(sink);
        await using var services = Services(s => s.AddSingleton<IJudgeBacklog>(shared));
        using var sut = Build(services, new JudgeDefinition("mw_shared", "sim", "judge-sim", SampleRate: 1));

        await sut.GetResponseAsync(Conversation(), For("user-1"));

        await FeedbackAsync("judge_mw_shared");
        await shared.DisposeAsync();
    }

    private static List<ChatMessage> Conversation() => [new(ChatRole.User, "Hi")];

    private static ChatOptions For(string unit) => new() { AdditionalProperties = new() { [ExperimentChatClient.UnitPropertyName] = unit } };

    private static Experiment Judged(params JudgeDefinition[] judges) =>
        Rollout.Start(Experiment.CreateDraft(SeedExperiment.Definition(Key) with { Judges = [.. judges] }, SeedExperiment.Epoch), SeedExperiment.Epoch, "test").Experiment;

    private static ServiceProvider Services(Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection();
        configure(services);
        return services.BuildServiceProvider();
    }

    private async Task<ExperimentEvent> FeedbackAsync(string score)
    {
        await Eventually.TrueAsync(() => sink.Events.Any(e => e.Score == score), Bound, () => $"{sink.Events.Count} events, none scored '{score}'");
        var feedback = sink.Events.Single(e => e.Score == score);
        Assert.Equal((EventType.Feedback, JudgeDefinition.Source), (feedback.Type, feedback.Source));
        return feedback;
    }

    // The client's own backlog: no services, the simulated provider only.
    private ExperimentChatClient Create(params JudgeDefinition[] judges) =>
        new(new FakeChatClient(time), Key, Snapshot(judges), sink, new CostEstimator(PriceTable.BuiltIn), time);

    private IChatClient Build(IServiceProvider services, JudgeDefinition judge) =>
        new FakeChatClient(time).AsBuilder().UseRampartExperiment(Key, Snapshot(judge), sink).Build(services);

    private StoreExperimentSnapshot Snapshot(params JudgeDefinition[] judges) =>
        new(new InMemoryExperimentStore(Judged(judges)), TimeSpan.FromSeconds(2), time);
}
