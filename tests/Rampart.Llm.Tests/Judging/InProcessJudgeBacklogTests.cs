using Rampart.Core.Events;
using Rampart.Core.Experiments;
using Rampart.Llm.Judging;
using Rampart.Llm.Tests.Fakes;
using Rampart.Testing;

namespace Rampart.Llm.Tests.Judging;

// Each test names its judges alone: the counts are read from a meter shared by the process.
public sealed class InProcessJudgeBacklogTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly RecordingEventSink sink = new();

    [Fact]
    public async Task TryEnqueue_SimJudge_VerdictWrittenToTheSinkAndCounted()
    {
        using var counts = new JudgeCounts();
        await using var sut = new InProcessJudgeBacklog(sink);

        Assert.True(sut.TryEnqueue(Work("ipb_sim", "req-1")));

        await Eventually.TrueAsync(() => sink.Events.Count == 1 && counts.Verdicts("ipb_sim") == 1);
        var feedback = Assert.Single(sink.Events);
        var judge = new JudgeDefinition("ipb_sim", "sim", "judge-sim");
        Assert.Equal(
            (EventType.Feedback, "judge_ipb_sim", judge.Normalise(new SimulatedJudge(judge).Rating(0.8, "req-1")), "judge", "judge_ipb_sim:req-1"),
            (feedback.Type, feedback.Score, feedback.Value, feedback.Source, feedback.Id));
    }

    [Fact]
    public async Task TryEnqueue_QueueFull_DroppedAndCountedWithoutWaiting()
    {
        using var counts = new JudgeCounts();
        var judge = new ScriptedEvaluator("ipb_full") { Blocks = true };
        await using var sut = new InProcessJudgeBacklog(sink, evaluators: _ => judge, options: new JudgeOptions { QueueCapacity = 1, Concurrency = 1 });

        Assert.True(sut.TryEnqueue(Work("ipb_full", "req-1")));
        await judge.Started.Task.WaitAsync(Bound);
        var queued = sut.TryEnqueue(Work("ipb_full", "req-2"));
        var dropped = sut.TryEnqueue(Work("ipb_full", "req-3"));

        Assert.Equal((true, false, 1L), (queued, dropped, counts.QueueFull("ipb_full")));
        judge.Release.SetResult();
        await Eventually.TrueAsync(() => counts.Verdicts("ipb_full") == 2);
        Assert.Equal(["judge_ipb_full:req-1", "judge_ipb_full:req-2"], sink.Events.Select(e => e.Id).Order());
    }

    [Fact]
    public async Task TryEnqueue_OverTheByteBound_DroppedAndCounted()
    {
        using var counts = new JudgeCounts();
        await using var sut = new InProcessJudgeBacklog(sink, options: new JudgeOptions { QueueMaxBytes = 1024 });

        var taken = sut.TryEnqueue(Work("ipb_bytes", "req-1") with { Output = new string('x', 600) });

        Assert.Equal((false, 1L, 0L), (taken, counts.QueueFull("ipb_bytes"), sut.Bytes));
    }

    [Fact]
    public async Task TryEnqueue_JudgeThrows_FailureCountedAndTheNextCallStillJudged()
    {
        using var counts = new JudgeCounts();
        var broken = new ScriptedEvaluator("ipb_broken", new InvalidOperationException("judge down"));
        await using var sut = new InProcessJudgeBacklog(sink, evaluators: j => j.Name == "ipb_broken" ? broken : null, options: new JudgeOptions { Concurrency = 1 });

        Assert.True(sut.TryEnqueue(Work("ipb_broken", "req-1")));
        Assert.True(sut.TryEnqueue(Work("ipb_after", "req-2")));

        await Eventually.TrueAsync(() => counts.Failures("ipb_broken") == 1 && counts.Verdicts("ipb_after") == 1);
        Assert.Equal("judge_ipb_after", Assert.Single(sink.Events).Score);
    }

    [Fact]
    public async Task TryEnqueue_SinkRefusesTheVerdict_CountedAsAFailure()
    {
        using var counts = new JudgeCounts();
        sink.Refuse = true;
        await using var sut = new InProcessJudgeBacklog(sink);

        Assert.True(sut.TryEnqueue(Work("ipb_refused", "req-1")));

        await Eventually.TrueAsync(() => counts.Failures("ipb_refused") == 1);
        Assert.Equal(0, counts.Verdicts("ipb_refused"));
    }

    [Fact]
    public async Task DisposeAsync_WorkStillQueued_NotJudgedAndLaterWorkRefused()
    {
        using var counts = new JudgeCounts();
        var judge = new ScriptedEvaluator("ipb_stopped") { Blocks = true };
        var sut = new InProcessJudgeBacklog(sink, evaluators: _ => judge, options: new JudgeOptions { Concurrency = 1 });
        Assert.True(sut.TryEnqueue(Work("ipb_stopped", "req-1")));
        Assert.True(sut.TryEnqueue(Work("ipb_stopped", "req-2")));
        await judge.Started.Task.WaitAsync(Bound);

        await sut.DisposeAsync().AsTask().WaitAsync(Bound);

        Assert.False(sut.TryEnqueue(Work("ipb_stopped", "req-3")));
        Assert.Empty(sink.Events);
        Assert.Equal((0L, 0L), (counts.Verdicts("ipb_stopped"), counts.Failures("ipb_stopped")));
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsListingEveryProblem()
    {
        var thrown = Assert.Throws<ArgumentException>(() => new InProcessJudgeBacklog(sink, options: new JudgeOptions { QueueCapacity = 0, Concurrency = 0 }));

        Assert.Contains("JudgeOptions.QueueCapacity is 0", thrown.Message, StringComparison.Ordinal);
        Assert.Contains("JudgeOptions.Concurrency is 0", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NumbersOverTheServersBounds_ThrowsNamingEach()
    {
        var options = new JudgeOptions { QueueCapacity = 20_000_000, QueueMaxBytes = long.MaxValue, Concurrency = 1_000_000, Timeout = TimeSpan.FromDays(60) };

        var thrown = Assert.Throws<ArgumentException>(() => new InProcessJudgeBacklog(sink, options: options));

        foreach (var name in new[] { "QueueCapacity", "QueueMaxBytes", "Concurrency", "Timeout" })
        {
            Assert.Contains($"JudgeOptions.{name} is ", thrown.Message, StringComparison.Ordinal);
        }
    }

    private static JudgeWork Work(string judge, string requestId) =>
        new("exp", "b", "user-1", requestId, 0, """[{"role":"user","content":"Hi"}]""", "Hello.", null, new JudgeDefinition(judge, "sim", "judge-sim"), SeedExperiment.Epoch);
}
