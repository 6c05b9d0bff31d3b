using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;
using Microsoft.Extensions.Time.Testing;
using Rampart.Core.Events;
using Rampart.Core.Experiments;
using Rampart.Llm.Judging;
using Rampart.Llm.Pricing;
using Rampart.Llm.Providers;
using Rampart.Testing;

namespace Rampart.Llm.Tests.Judging;

public sealed class JudgeRunnerTests
{
    private static readonly JudgeDefinition Judge = new("helpfulness", "sim", "gpt-4o-mini");

    private readonly FakeTimeProvider time = new(SeedExperiment.Epoch);
    private readonly CostEstimator costs = new(PriceTable.BuiltIn);

    [Fact]
    public async Task RunAsync_SimJudge_FeedbackEventNormalisedFromTheJudgeWithItsModelAndCost()
    {
        var sut = Runner();

        var outcome = await sut.RunAsync(Work(Judge), default);

        Assert.Equal(JudgeOutcomeKind.Verdict, outcome.Kind);
        var feedback = outcome.Feedback!;
        var rating = new SimulatedJudge(Judge).Rating(0.8, "req-1");
        var cost = costs.CostUsd("gpt-4o-mini", SimulatedJudge.PromptTokens, SimulatedJudge.CompletionTokens);
        Assert.Equal(
            (EventType.Feedback, "exp", "b", "user-1", (int?)1, "req-1", "judge_helpfulness", Judge.Normalise(rating), "judge", "gpt-4o-mini", cost, "judge_helpfulness:req-1", time.GetUtcNow()),
            (feedback.Type, feedback.Experiment, feedback.Variant, feedback.Unit, feedback.Stage, feedback.RequestId, feedback.Score, feedback.Value, feedback.Source, feedback.Model, feedback.CostUsd, feedback.Id, feedback.Ts));
        Assert.NotNull(cost);
    }

    [Fact]
    public async Task RunAsync_BudgetSpent_SkipsUntilTheNextDay()
    {
        var capped = Judge with { MaxCostUsdPerDay = 0.00005 };
        var sut = Runner();

        var first = await sut.RunAsync(Work(capped), default);
        var second = await sut.RunAsync(Work(capped, "req-2"), default);
        time.Advance(TimeSpan.FromDays(1));
        var nextDay = await sut.RunAsync(Work(capped, "req-3"), default);

        Assert.Equal((JudgeOutcomeKind.Verdict, JudgeOutcomeKind.BudgetSpent, JudgeOutcomeKind.Verdict), (first.Kind, second.Kind, nextDay.Kind));
    }

    [Fact]
    public async Task RunAsync_EvaluatorThrows_FailedOutcomeNotAnException()
    {
        var sut = Runner(_ => new ThrowingEvaluator());

        var outcome = await sut.RunAsync(Work(Judge), default);

        Assert.Equal((JudgeOutcomeKind.Failed, (ExperimentEvent?)null), (outcome.Kind, outcome.Feedback));
        Assert.Contains("judge down", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_EvaluatorHangs_FailedAfterTheTimeout()
    {
        var sut = new JudgeRunner(new JudgeEvaluators(Providers(), _ => new HangingEvaluator()), costs, new JudgeBudget(time), TimeProvider.System, TimeSpan.FromMilliseconds(50));

        var outcome = await sut.RunAsync(Work(Judge), default);

        Assert.Equal(JudgeOutcomeKind.Failed, outcome.Kind);
        Assert.Contains("did not answer within", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_EvaluatorIgnoresItsToken_StillFailedAfterTheTimeout()
    {
        var never = new TaskCompletionSource<EvaluationResult>();
        var sut = new JudgeRunner(new JudgeEvaluators(Providers(), _ => new FixedEvaluator(never.Task)), costs, new JudgeBudget(time), TimeProvider.System, TimeSpan.FromMilliseconds(50));

        var outcome = await sut.RunAsync(Work(Judge), default).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(JudgeOutcomeKind.Failed, outcome.Kind);
        Assert.Contains("did not answer within", outcome.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(1e308)]
    [InlineData(1.0000001)]
    public async Task RunAsync_PairwiseEvaluatorAnswersOffTheScale_FailedNoFeedback(double preference)
    {
        var answer = new EvaluationResult(new NumericMetric(Judge.PreferenceScoreName, preference));
        var sut = Runner(_ => new FixedEvaluator(Task.FromResult(answer)));

        var outcome = await sut.RunAsync(Work(Judge) with { Against = "Served.", PairId = "req-0", Shadow = true }, default);

        Assert.Equal((JudgeOutcomeKind.Failed, (ExperimentEvent?)null), (outcome.Kind, outcome.Feedback));
    }

    [Fact]
    public async Task RunAsync_EvaluatorRatesNaN_FailedNoFeedback()
    {
        var answer = new EvaluationResult(new NumericMetric(Judge.ScoreName, double.NaN));
        var sut = Runner(_ => new FixedEvaluator(Task.FromResult(answer)));

        var outcome = await sut.RunAsync(Work(Judge), default);

        Assert.Equal((JudgeOutcomeKind.Failed, (ExperimentEvent?)null), (outcome.Kind, outcome.Feedback));
    }

    [Fact]
    public async Task RunAsync_ProviderNotConfigured_FailedNamingIt()
    {
        var sut = Runner();

        var outcome = await sut.RunAsync(Work(Judge with { Provider = "nowhere" }), default);

        Assert.Equal(JudgeOutcomeKind.Failed, outcome.Kind);
        Assert.Contains("'nowhere'", outcome.Error, StringComparison.Ordinal);
    }

    private JudgeRunner Runner(Func<JudgeDefinition, IEvaluator?>? custom = null) =>
        new(new JudgeEvaluators(Providers(), custom), costs, new JudgeBudget(time), time, TimeSpan.FromSeconds(30));

    private static ProviderRegistry Providers() => new([], _ => new HttpClient());

    private JudgeWork Work(JudgeDefinition judge, string requestId = "req-1") =>
        new("exp", "b", "user-1", requestId, 1, """[{"role":"user","content":"Hi"}]""", "Hello.", 0.8, judge, time.GetUtcNow());

    private sealed class ThrowingEvaluator : IEvaluator
    {
        public IReadOnlyCollection<string> EvaluationMetricNames => ["judge_helpfulness"];

        public ValueTask<EvaluationResult> EvaluateAsync(IEnumerable<ChatMessage> messages, ChatResponse modelResponse, ChatConfiguration? chatConfiguration = null,
            IEnumerable<EvaluationContext>? additionalContext = null, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("judge down");
    }

    // Answers its task whatever the token says: a plugged-in judge that does not honour cancellation.
    private sealed class FixedEvaluator(Task<EvaluationResult> answer) : IEvaluator
    {
        public IReadOnlyCollection<string> EvaluationMetricNames => [Judge.ScoreName, Judge.PreferenceScoreName];

        public ValueTask<EvaluationResult> EvaluateAsync(IEnumerable<ChatMessage> messages, ChatResponse modelResponse, ChatConfiguration? chatConfiguration = null,
            IEnumerable<EvaluationContext>? additionalContext = null, CancellationToken cancellationToken = default) => new(answer);
    }

    private sealed class HangingEvaluator : IEvaluator
    {
        public IReadOnlyCollection<string> EvaluationMetricNames => ["judge_helpfulness"];

        public async ValueTask<EvaluationResult> EvaluateAsync(IEnumerable<ChatMessage> messages, ChatResponse modelResponse, ChatConfiguration? chatConfiguration = null,
            IEnumerable<EvaluationContext>? additionalContext = null, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return new EvaluationResult();
        }
    }
}
