using System.Collections.Immutable;
using Rampart.Analysis.Aggregation;
using Rampart.Analysis.Decisions;
using Rampart.Analysis.Monitoring;
using Rampart.Core.Experiments;

namespace Rampart.Analysis.Tests.Monitoring;

public sealed class ScoreGuardrailTests(ITestOutputHelper output)
{
    private const string Score = "judge_helpfulness";
    private const double MaxDrop = 0.05;
    private const int CheckEvery = 20;

    private static readonly GuardrailOptions Options = new()
    {
        MinScore = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create(Score, new ScoreFloor(MaxDrop))]),
    };

    [Fact]
    public void AaRuns_CheckedEvery20Scores_FalseRollbackRateAtMostOnePercent()
    {
        // 400 A/A runs, both variants at quality 0.8, the guardrail checked every 20 scores up to 4,000 per variant.
        const int runs = 400;
        var random = new Random(20261206);
        var rolledBack = 0;
        for (var run = 0; run < runs; run++)
        {
            if (Run(random, 0.8, 0.8, 4_000) is not null)
            {
                rolledBack++;
            }
        }

        var rate = (double)rolledBack / runs;
        output.WriteLine($"A/A false rollbacks: {rolledBack} of {runs} = {rate:P2}");
        Assert.True(rate <= 0.01, $"A/A false rollback rate {rate:P2} exceeds 1%.");
    }

    [Fact]
    public void DropExactlyAtMaxDrop_CheckedEvery20Scores_RollbackRateWithinHalfAlpha()
    {
        // At a true drop of exactly max_drop the one-sided error is α/2 = 2.5%; validity is asymptotic, so allow three binomial
        // standard errors over it.
        const int runs = 300;
        var random = new Random(20261207);
        var rolledBack = 0;
        for (var run = 0; run < runs; run++)
        {
            if (Run(random, 0.8, 0.8 - MaxDrop, 4_000) is not null)
            {
                rolledBack++;
            }
        }

        var rate = (double)rolledBack / runs;
        var limit = (ScoreFloorTest.Alpha / 2) + (3 * Math.Sqrt(ScoreFloorTest.Alpha / 2 * (1 - (ScoreFloorTest.Alpha / 2)) / runs));
        output.WriteLine($"rollbacks at a drop of exactly max_drop: {rolledBack} of {runs} = {rate:P2} (limit {limit:P2})");
        Assert.True(rate <= limit, $"rollback rate {rate:P2} at the floor exceeds {limit:P2}.");
    }

    [Fact]
    public void TenPointDrop_CheckedEvery20Scores_RolledBackEveryRunWithinAFewThousandScores()
    {
        const int runs = 200;
        var random = new Random(20261208);
        var detections = new List<int>();
        for (var run = 0; run < runs; run++)
        {
            var at = Run(random, 0.8, 0.7, 20_000);
            Assert.True(at is not null, "a 10-point drop was never rolled back in 20,000 scores");
            detections.Add(at.Value);
        }

        detections.Sort();
        var median = detections[runs / 2];
        var p90 = detections[(int)(runs * 0.9)];
        output.WriteLine($"scores per variant until rollback: median {median}, p90 {p90}, max {detections[^1]}");
        var (control, variant) = (new VariantSignals("control"), new VariantSignals("variant_b"));
        Feed(random, control, variant, 0.8, 0.7, 100_000);
        output.WriteLine($"realised means over 100,000 scores: control {control.Score(Score)!.Mean:F4}, variant {variant.Score(Score)!.Mean:F4}");
        Assert.InRange(median, (int)ScoreFloorTest.MinScores, 2_000);
        Assert.InRange(p90, median, 4_000);
    }

    [Fact]
    public void Breach_TooFewScores_NoRollback()
    {
        var random = new Random(1);
        var (control, variant) = (new VariantSignals("control"), new VariantSignals("variant_b"));
        for (var i = 0; i < ScoreFloorTest.MinScores - 1; i++)
        {
            control.AddFeedback(Score, EventKey.Of($"c{i}"), EventKey.Of($"rc{i}"), 0, i, 1.0);
            variant.AddFeedback(Score, EventKey.Of($"v{i}"), EventKey.Of($"rv{i}"), 0, i, random.NextDouble() < 0.5 ? 0 : 0.25);
        }

        Assert.Null(ScoreGuardrail.Breach(variant, control, Options));
    }

    [Fact]
    public void Breach_EstablishedDrop_ReasonAndMetricsNameTheScoreAndTheBound()
    {
        var random = new Random(2);
        var (control, variant) = (new VariantSignals("control"), new VariantSignals("variant_b"));
        Feed(random, control, variant, 0.8, 0.6, 1_000);

        var sut = ScoreGuardrail.Breach(variant, control, Options);

        Assert.NotNull(sut);
        output.WriteLine(sut.Reason);
        Assert.Equal(MonitorActionKind.Rollback, sut.Kind);
        Assert.Equal("variant_b", sut.Variant);
        Assert.StartsWith("guardrail: variant_b's judge_helpfulness 0.", sut.Reason, StringComparison.Ordinal);
        Assert.Contains("is established below the control's", sut.Reason, StringComparison.Ordinal);
        Assert.Contains("by more than max_drop 0.05 (always-valid upper bound -", sut.Reason, StringComparison.Ordinal);
        Assert.True(sut.Metrics["upper_bound"] < -MaxDrop);
        Assert.Equal(MaxDrop, sut.Metrics["max_drop"]);
        Assert.Equal(1_000, sut.Metrics["scores"]);
    }

    /// <summary>Scores per variant when the guardrail first rolls the variant back, or null if it never does within <paramref name="maxScores"/>.</summary>
    private static int? Run(Random random, double controlQuality, double variantQuality, int maxScores)
    {
        var (control, variant) = (new VariantSignals("control"), new VariantSignals("variant_b"));
        var (c, v) = (new Judged(random, controlQuality), new Judged(random, variantQuality));
        for (var i = 1; i <= maxScores; i++)
        {
            c.Next(control, i);
            v.Next(variant, i);
            if (i >= ScoreFloorTest.MinScores && i % (CheckEvery / 2) == 0 && ScoreGuardrail.Breach(variant, control, Options) is not null)
            {
                return i;
            }
        }

        return null;
    }

    private static void Feed(Random random, VariantSignals control, VariantSignals variant, double controlQuality, double variantQuality, int scores)
    {
        var (c, v) = (new Judged(random, controlQuality), new Judged(random, variantQuality));
        for (var i = 1; i <= scores; i++)
        {
            c.Next(control, i);
            v.Next(variant, i);
        }
    }

    /// <summary>
    /// A judge's 1–5 ratings of one variant, normalised to 0–1: units send 1–9 requests each, a unit's own quality p varies
    /// around the variant's (sd 0.08, clamped to [0, 1]), and each rating is (Binomial(4, p) + 1) on the 1–5 scale, normalised
    /// to Binomial(4, p)/4: mean p, sd about 0.2 at 0.8, so the variant's mean score is its quality.
    /// </summary>
    private sealed class Judged(Random random, double quality)
    {
        private int unit;
        private int left;
        private double unitQuality;

        public void Next(VariantSignals signals, int request)
        {
            if (left == 0)
            {
                unit++;
                left = random.Next(1, 10);
                unitQuality = Math.Clamp(quality + (0.08 * Normal(random)), 0, 1);
            }

            left--;
            var steps = 0;
            for (var k = 0; k < 4; k++)
            {
                steps += random.NextDouble() < unitQuality ? 1 : 0;
            }

            var rating = steps / 4.0;
            signals.AddFeedback(Score, new EventKey((ulong)unit), new EventKey((ulong)request), 0, request, rating);
        }

        private static double Normal(Random random) =>
            Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
    }
}
