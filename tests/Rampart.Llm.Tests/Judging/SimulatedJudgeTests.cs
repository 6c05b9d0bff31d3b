using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;
using Rampart.Core.Experiments;
using Rampart.Llm.Judging;

namespace Rampart.Llm.Tests.Judging;

public sealed class SimulatedJudgeTests
{
    private static readonly JudgeDefinition Judge = new("helpfulness", "sim", "judge-sim");

    [Fact]
    public async Task EvaluateAsync_SameRequest_SameRatingEveryTime()
    {
        var sut = new SimulatedJudge(Judge);

        var first = await Rating(sut, 0.6, "req-1");
        var second = await Rating(new SimulatedJudge(Judge), 0.6, "req-1");

        Assert.Equal(first, second);
    }

    [Fact]
    public void Rating_5000Calls_WholeNumbersOnTheScaleCentredOnTheQuality()
    {
        var sut = new SimulatedJudge(Judge);

        var ratings = Enumerable.Range(0, 5000).Select(i => sut.Rating(0.5, $"req-{i}")).ToList();

        Assert.All(ratings, r => Assert.True(r is >= 1 and <= 5 && r == Math.Floor(r)));
        // Expected 1 + 4 · 0.5 = 3; rounding and clamping are symmetric around it, so the mean stays 3 within sampling error (sd ≈ 0.7/√5000).
        Assert.InRange(ratings.Average(), 3 - 0.05, 3 + 0.05);
        Assert.True(ratings.Distinct().Count() >= 3);
    }

    [Fact]
    public void Preference_EqualQuality_HalfTheWinsDespiteThePositionBias_BecauseTheOrderIsDrawnPerPair()
    {
        var sut = new SimulatedJudge(Judge);

        var preferences = Enumerable.Range(0, 4000).Select(i => Preference(sut, 0.8, 0.8, $"pair-{i}")).ToList();
        var shownFirst = Enumerable.Range(0, 4000).Select(i => new PairwiseContext("served", 0.8, $"pair-{i}", Judge.Name).ShadowFirst).ToList();

        // Win rate (ties half) 0.5 ± 3·0.5/√4000; the shadow shown first wins more often (the bias), shown second less.
        Assert.InRange(preferences.Average(), 0.5 - 0.024, 0.5 + 0.024);
        var first = preferences.Where((_, i) => shownFirst[i]).Average();
        var second = preferences.Where((_, i) => !shownFirst[i]).Average();
        Assert.True(first > second + 0.05, $"first {first:F3}, second {second:F3}");
        Assert.InRange(shownFirst.Count(f => f), 1850, 2150);
    }

    [Fact]
    public void Preference_BetterShadow_WinsMostPairs()
    {
        var sut = new SimulatedJudge(Judge);

        var preferences = Enumerable.Range(0, 2000).Select(i => Preference(sut, 0.9, 0.7, $"pair-{i}")).ToList();

        Assert.True(preferences.Average() > 0.75, $"{preferences.Average():F3}");
        Assert.All(preferences, p => Assert.Contains(p, new[] { 0, 0.5, 1 }));
    }

    private static double Preference(SimulatedJudge sut, double shadow, double served, string pair) =>
        sut.Preference(new SimulatedQualityContext(shadow, pair + "~shadow"), new PairwiseContext("served", served, pair, Judge.Name));

    [Fact]
    public void Rating_HigherQuality_HigherMeanRating()
    {
        var sut = new SimulatedJudge(Judge);

        var low = Enumerable.Range(0, 2000).Average(i => sut.Rating(0.3, $"req-{i}"));
        var high = Enumerable.Range(0, 2000).Average(i => sut.Rating(0.9, $"req-{i}"));

        Assert.True(high > low + 1.5, $"high {high}, low {low}");
    }

    [Fact]
    public async Task EvaluateAsync_NoQualityContext_FailedMetric()
    {
        var sut = new SimulatedJudge(Judge);

        var result = await sut.EvaluateAsync([], new ChatResponse(new ChatMessage(ChatRole.Assistant, "Hi")));

        var metric = result.Get<NumericMetric>("judge_helpfulness");
        Assert.Null(metric.Value);
        Assert.True(metric.ContainsDiagnostics(d => d.Severity == EvaluationDiagnosticSeverity.Error));
    }

    private static async Task<double?> Rating(SimulatedJudge sut, double quality, string requestId)
    {
        var result = await sut.EvaluateAsync([], new ChatResponse(new ChatMessage(ChatRole.Assistant, "Hi")), additionalContext: [new SimulatedQualityContext(quality, requestId)]);
        return result.Get<NumericMetric>("judge_helpfulness").Value;
    }
}
