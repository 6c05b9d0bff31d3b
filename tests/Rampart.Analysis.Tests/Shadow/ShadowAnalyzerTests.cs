using Rampart.Analysis.Results;
using Rampart.Stats.Paired;

namespace Rampart.Analysis.Tests.Shadow;

public sealed class ShadowAnalyzerTests
{
    private static readonly double[] ControlLatency = [100, 200, 300, 400, 500, 600];
    private static readonly double[] ShadowLatency = [110, 190, 330, 480, 525, 720];

    [Fact]
    public void Analyze_HandBuiltPairs_TheShadowBlockHasTheFiguresComputedByHand()
    {
        var sut = ExperimentAnalyzer.Analyze(Population().FromStore());

        var shadow = Assert.Single(sut.Shadow!.Variants);
        Assert.Equal(("variant_a", 10L), (shadow.Name, shadow.Pairs));
        Assert.Equal(["control"], sut.Variants.Select(v => v.Name));   // nobody was served variant_a

        // b = 3, c = 1 of n = 10: binomtest(3, 4, 0.5) → 0.625; alternative='greater' → 0.3125; (b − c)/n = 0.2.
        var e = shadow.Errors;
        Assert.Equal((3L, 1L, 0L), (e.ShadowOnly, e.ControlOnly, e.Both));
        Assert.Equal((0.1, 0.3, 3.0), (e.ControlRate!.Value, e.ShadowRate!.Value, e.Ratio!.Value), new TupleComparer(1e-12));
        Assert.Equal(0.2, e.Difference!.Value, 12);
        Assert.Equal(0.625, e.PValue!.Value, 12);
        Assert.Equal(0.3125, e.PValueShadowWorse!.Value, 12);
        var mcnemar = McNemarTest.Compare(3, 1, 0, 6);
        Assert.Equal([mcnemar.Interval!.Value.Lower, mcnemar.Interval.Value.Upper], e.Ci95);

        // Ratios 1.1, 0.95, 1.1, 1.2, 1.05, 1.2: median 1.1, sign-test interval [r₍₁₎, r₍₆₎] at n = 6; p95s 671.25 / 575.
        var l = shadow.LatencyMs;
        Assert.Equal(6, l.N);
        Assert.Equal(1.1, l.MedianRatio!.Value, 12);
        Assert.Equal([0.95, 1.2], l.MedianRatioCi95!.Select(b => Math.Round(b, 12)));
        Assert.Equal(671.25 / 575, l.P95Ratio!.Value, 12);
        var ratio = GeometricMeanRatio.Compare(ControlLatency, ShadowLatency);
        Assert.Equal(Math.Exp(new[] { 1.1, 0.95, 1.1, 1.2, 1.05, 1.2 }.Average(Math.Log)), l.GeometricMeanRatio!.Value, 12);
        Assert.Equal([ratio.Interval!.Value.Lower, ratio.Interval.Value.Upper], l.GeometricMeanRatioCi95);
        Assert.Equal(WilcoxonSignedRankTest.Compare(ControlLatency, ShadowLatency).PValue, l.PValue);

        // Shadow 0.02 and 0.03 alternately against 0.01: differences 0.01, 0.02 → mean 0.015; spend 5 × 0.02 + 5 × 0.03.
        var c = shadow.CostUsd;
        Assert.Equal(10, c.N);
        Assert.Equal(0.015, c.MeanDifference!.Value, 12);
        Assert.Equal(0.25, c.ShadowTotal, 12);

        // Judge 0.8/0.9, 0.6/0.6, 0.7/0.6, 0.9/1.0, 0.5/0.7 → differences 0.1, 0, −0.1, 0.1, 0.2, mean 0.06;
        // preferences 1, 0, 0.5, 1 → (2 + ½)/4 = 0.625, binomtest(2, 3) → 1.
        var judge = shadow.Judges["judge_helpfulness"];
        Assert.Equal(5, judge.N);
        Assert.Equal(0.06, judge.MeanDifference!.Value, 12);
        var t = PairedTTest.Compare([0.8, 0.6, 0.7, 0.9, 0.5], [0.9, 0.6, 0.6, 1.0, 0.7]);
        Assert.Equal(t.PValue!.Value, judge.PValue!.Value, 12);
        Assert.Equal((4L, 2L, 1L, 1L), (judge.Preference!.N, judge.Preference.Wins, judge.Preference.Losses, judge.Preference.Ties));
        Assert.Equal(0.625, judge.Preference.WinRate!.Value, 12);
        Assert.Equal(1, judge.Preference.PValue!.Value, 12);
    }

    [Fact]
    public void Analyze_FileAndStoredEvents_GiveTheSameDocument()
    {
        var events = Population();

        var fromFile = ResultsJson.Serialize(ExperimentAnalyzer.Analyze(events.FromFile()));
        var fromStore = ResultsJson.Serialize(ExperimentAnalyzer.Analyze(events.FromStore()));

        Assert.Equal(fromStore, fromFile);
        Assert.Contains("\"shadow\": {", fromFile, StringComparison.Ordinal);
        Assert.Equal(fromFile, ResultsJson.Serialize(ResultsJson.Parse(fromFile)));
    }

    [Fact]
    public void Analyze_JudgeVerdictsOnShadowAnswers_TheirCostCountsInTheJudgesCostForTheVariant_OnBothPaths()
    {
        // Two shadow verdicts of variant_a (a rating and a preference) at 0.001 each; the served verdict is the control's.
        // (variant_a's one served call makes it a variant of the results.)
        var events = new ShadowEvents()
            .Add(new Core.Events.ExperimentEvent
            {
                Type = Core.Events.EventType.Completion, Experiment = "prompt-opt-v2", Variant = "variant_a", Unit = "u-later", RequestId = "later",
                Ts = new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero), Stage = 1, LatencyMs = 100,
            })
            .Served("r1", 100).Shadowed("variant_a", "r1", 110)
            .ServedVerdict("r1", 0.75).ShadowVerdict("variant_a", "r1", 0.5).ShadowVerdict("variant_a", "r1", 1, score: "judge_helpfulness_preference");

        foreach (var aggregate in new[] { events.FromFile(), events.FromStore() })
        {
            var judge = Assert.Single(ExperimentAnalyzer.Analyze(aggregate).Judges!);
            Assert.Equal("judge_helpfulness", judge.Score);
            Assert.Equal(0.002, judge.Variants["variant_a"].CostUsd, 12);
            Assert.Equal(0.001, judge.Variants["control"].CostUsd, 12);
        }
    }

    [Fact]
    public void Analyze_VerdictsOnMoreJudgeScoresThanListed_ListsTheFirstByNameAndCountsTheRest()
    {
        // Judge scores are named by whoever sends the verdicts: before, every one was tested and listed in every shadow variant.
        var events = new ShadowEvents().Served("r1", 100).Shadowed("variant_a", "r1", 110);
        for (var i = 0; i < 20; i++)
        {
            events.ServedVerdict("r1", 0.75, score: $"judge_{i:00}").ShadowVerdict("variant_a", "r1", 0.5, score: $"judge_{i:00}");
        }

        var sut = ExperimentAnalyzer.Analyze(events.FromStore());

        var shadow = Assert.Single(sut.Shadow!.Variants);
        Assert.Equal([.. Enumerable.Range(0, 16).Select(i => $"judge_{i:00}")], shadow.Judges.Keys);
        Assert.Equal(4, shadow.UnlistedJudgeScores);
        Assert.Equal(4, Assert.Single(ResultsJson.Parse(ResultsJson.Serialize(sut)).Shadow!.Variants).UnlistedJudgeScores);
    }

    [Fact]
    public void Analyze_NoShadowEvents_NoShadowBlockInTheJson()
    {
        var sut = ExperimentAnalyzer.Analyze(new ShadowEvents().Plain("r1", 100).Plain("r2", 120).FromFile());

        Assert.Null(sut.Shadow);
        Assert.DoesNotContain("\"shadow\"", ResultsJson.Serialize(sut), StringComparison.Ordinal);
    }

    // Ten pairs of variant_a: pairs 0–5 both succeed, 6, 7 and 9 only the shadow fails, 8 only the control; the shadow answers
    // arrive first for odd pairs. Five judged on both answers, four with a preference; plain served requests around them.
    private static ShadowEvents Population()
    {
        double[] servedVerdicts = [0.8, 0.6, 0.7, 0.9, 0.5];
        double[] shadowVerdicts = [0.9, 0.6, 0.6, 1.0, 0.7];
        double[] preferences = [1, 0, 0.5, 1];
        var events = new ShadowEvents();
        for (var i = 0; i < 10; i++)
        {
            var pair = $"r{i}";
            var controlLatency = i < 6 ? ControlLatency[i] : 250;
            var shadowLatency = i < 6 ? ShadowLatency[i] : 40;
            var shadowCost = i % 2 == 0 ? 0.02 : 0.03;
            if (i % 2 == 1)
            {
                events.Shadowed("variant_a", pair, shadowLatency, failed: i is 6 or 7 or 9, cost: shadowCost);
            }

            events.Served(pair, controlLatency, failed: i == 8).Plain($"plain{i}", 90);
            if (i % 2 == 0)
            {
                events.Shadowed("variant_a", pair, shadowLatency, failed: i is 6 or 7 or 9, cost: shadowCost);
            }

            if (i < 5)
            {
                events.ServedVerdict(pair, servedVerdicts[i]).ShadowVerdict("variant_a", pair, shadowVerdicts[i]);
            }

            if (i < 4)
            {
                events.ShadowVerdict("variant_a", pair, preferences[i], "judge_helpfulness_preference");
            }
        }

        return events;
    }

    private sealed class TupleComparer(double tolerance) : IEqualityComparer<(double, double, double)>
    {
        public bool Equals((double, double, double) x, (double, double, double) y) =>
            Math.Abs(x.Item1 - y.Item1) <= tolerance && Math.Abs(x.Item2 - y.Item2) <= tolerance && Math.Abs(x.Item3 - y.Item3) <= tolerance;

        public int GetHashCode((double, double, double) obj) => 0;
    }
}
