using Rampart.Analysis.Results;

namespace Rampart.Analysis.Tests.Decisions;

public sealed class RecommenderTests
{
    private static readonly AnalysisOptions Equal = new() { Variants = ["control", "variant_a", "variant_b"] };

    [Fact]
    public void Analyze_ClearWinner_PromotesItWithReasons()
    {
        var aggregate = Simulated.Aggregate(1, new("control", 1500), new("variant_a", 1500, Satisfaction: 0.85), new("variant_b", 1500));

        var sut = ExperimentAnalyzer.Analyze(aggregate, Equal).Recommendation;

        Assert.Equal(RecommendedAction.Promote, sut.Action);
        Assert.Equal("variant_a", sut.Variant);
        Assert.StartsWith("Promote variant_a: it meets every promotion criterion.", sut.Reasons[0], StringComparison.Ordinal);
        Assert.Contains(sut.Reasons, r => r.StartsWith("variant_a's p_value_clustered_holm < 0.0001 on user_satisfaction is below alpha 0.05", StringComparison.Ordinal));
        Assert.Contains(sut.Reasons, r => r.StartsWith("variant_a has 1,500 units (at least 1,000)", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_CompletedExperiment_SaysFirstWhichVariantWasPromoted()
    {
        var aggregate = Simulated.Aggregate(1, new("control", 1500), new("variant_a", 1500, Satisfaction: 0.85), new("variant_b", 1500));

        var sut = ExperimentAnalyzer.Analyze(aggregate, Equal with { Winner = "variant_a" }).Recommendation;

        Assert.Equal((RecommendedAction.Promote, "variant_a"), (sut.Action, sut.Variant));
        Assert.Equal(
            "The experiment is completed: variant_a was promoted and serves every unit. What follows is what the figures alone would recommend.",
            sut.Reasons[0]);
        Assert.StartsWith("Promote variant_a: it meets every promotion criterion.", sut.Reasons[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_TwoWinners_HighestPrimaryScoreWins()
    {
        var aggregate = Simulated.Aggregate(2, new("control", 1500), new("variant_a", 1500, Satisfaction: 0.85), new("variant_b", 1500, Satisfaction: 0.9));

        var sut = ExperimentAnalyzer.Analyze(aggregate, Equal).Recommendation;

        Assert.Equal("variant_b", sut.Variant);
        Assert.Contains(sut.Reasons, r => r.StartsWith("variant_a also qualifies", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_WinnerButSampleRatioMismatch_Continues()
    {
        var aggregate = Simulated.Aggregate(3, new("control", 1500), new("variant_a", 1500, Satisfaction: 0.85), new("variant_b", 1500));

        var sut = ExperimentAnalyzer.Analyze(aggregate, Equal with { Weights = [80, 10, 10] });

        Assert.True(sut.Srm.Mismatch);
        Assert.Equal(RecommendedAction.Continue, sut.Recommendation.Action);
        Assert.Null(sut.Recommendation.Variant);
        Assert.Contains(sut.Recommendation.Reasons, r => r.Contains("sample-ratio mismatch", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_WinnerWithTooFewUnits_Continues()
    {
        var aggregate = Simulated.Aggregate(4, new("control", 900, RequestsPerUnit: 4), new("variant_a", 900, Satisfaction: 0.9, RequestsPerUnit: 4));

        var sut = ExperimentAnalyzer.Analyze(aggregate).Recommendation;

        Assert.Equal(RecommendedAction.Continue, sut.Action);
        Assert.Contains("variant_a has 900 units; promotion needs at least 1,000.", sut.Reasons);
    }

    [Fact]
    public void Analyze_HighErrorRateAndAWinner_RollbackComesFirst()
    {
        var aggregate = Simulated.Aggregate(5, new("control", 1500), new("variant_a", 1500, Satisfaction: 0.85), new("variant_b", 300, ErrorRate: 0.2));

        var sut = ExperimentAnalyzer.Analyze(aggregate, Equal).Recommendation;

        Assert.Equal(RecommendedAction.Rollback, sut.Action);
        Assert.Equal("variant_b", sut.Variant);
        Assert.Matches(@"^Roll back variant_b: variant_b's error rate \d+\.\d\d% \(\d+ of 600 requests\) is established above the 5\.00% guardrail", sut.Reasons[0]);
    }

    [Fact]
    public void Analyze_SlowVariant_RolledBackOnLatency()
    {
        var aggregate = Simulated.Aggregate(6, new("control", 500), new("variant_a", 500), new("variant_b", 300, LatencyMs: 2000));

        var sut = ExperimentAnalyzer.Analyze(aggregate, Equal).Recommendation;

        Assert.Equal(RecommendedAction.Rollback, sut.Action);
        Assert.Equal("variant_b", sut.Variant);
        Assert.Contains("of variant_b's successful requests", sut.Reasons[0], StringComparison.Ordinal);
        Assert.Contains("slower than 1.5 × the control's p95", sut.Reasons[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_ModeratelySlowerButUnderGuardrail_NotRolledBack()
    {
        var aggregate = Simulated.Aggregate(7, new("control", 500), new("variant_a", 500, LatencyMs: 1100));

        var sut = ExperimentAnalyzer.Analyze(aggregate).Recommendation;

        Assert.Equal(RecommendedAction.Continue, sut.Action);
    }

    [Fact]
    public void Analyze_BadVariantBeforeMinRequests_NotRolledBackButNoted()
    {
        var aggregate = Simulated.Aggregate(8, new("control", 500), new("variant_a", 40, ErrorRate: 0.5));

        var sut = ExperimentAnalyzer.Analyze(aggregate).Recommendation;

        Assert.Equal(RecommendedAction.Continue, sut.Action);
        Assert.Contains("variant_a has 80 requests; guardrails act from 100.", sut.Reasons);
    }

    [Fact]
    public void Analyze_RolledBackVariant_NeitherRolledBackAgainNorPromoted()
    {
        var aggregate = Simulated.Aggregate(9, new("control", 1500), new("variant_a", 1500, Satisfaction: 0.9, ErrorRate: 0.3));

        var sut = ExperimentAnalyzer.Analyze(aggregate, new AnalysisOptions { RolledBack = new HashSet<string> { "variant_a" } }).Recommendation;

        Assert.Equal(RecommendedAction.Continue, sut.Action);
        Assert.Contains(sut.Reasons, r => r.StartsWith("variant_a is rolled back", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_ErrorRateSignificantlyAboveAllowedRatio_BlocksPromotion()
    {
        var aggregate = Simulated.Aggregate(10, new("control", 3000, ErrorRate: 0.005), new("variant_a", 3000, Satisfaction: 0.85, ErrorRate: 0.03));

        var sut = ExperimentAnalyzer.Analyze(aggregate).Recommendation;

        Assert.Equal(RecommendedAction.Continue, sut.Action);
        Assert.Contains(sut.Reasons, r => r.StartsWith("variant_a's error rate", StringComparison.Ordinal) && r.Contains("is significantly higher", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_ErrorRateSlightlyAboveButNotSignificantly_StillPromotes()
    {
        // The seed's point rule (error_rate < 1.1 × control) would block this winner on noise.
        var aggregate = Simulated.Aggregate(11, new("control", 1500, ErrorRate: 0.010), new("variant_a", 1500, Satisfaction: 0.85, ErrorRate: 0.012));

        var sut = ExperimentAnalyzer.Analyze(aggregate);

        var control = sut.Variants[0].ErrorRate!.Value;
        Assert.True(sut.Variants[1].ErrorRate > 1.1 * control, $"variant {sut.Variants[1].ErrorRate} vs control {control}");
        Assert.Equal(RecommendedAction.Promote, sut.Recommendation.Action);
    }

    [Fact]
    public void Analyze_P95AboveAllowedRatio_BlocksPromotion()
    {
        var aggregate = Simulated.Aggregate(12, new("control", 1500), new("variant_a", 1500, Satisfaction: 0.85, LatencyMs: 1300));

        var sut = ExperimentAnalyzer.Analyze(aggregate).Recommendation;

        Assert.Equal(RecommendedAction.Continue, sut.Action);
        Assert.Contains(sut.Reasons, r => r.StartsWith("variant_a's p95 latency", StringComparison.Ordinal) && r.EndsWith("is not below.", StringComparison.Ordinal));
    }
}
