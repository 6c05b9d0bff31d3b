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
