using Rampart.Analysis.Aggregation;
using Rampart.Analysis.Results;
using Rampart.Analysis.Monitoring;
using Rampart.Core.Events;
using Rampart.Testing;
using Rampart.Core.Experiments;

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
        Assert.Contains(sut.All(), r => r.StartsWith("variant_a's p_value_clustered_holm < 0.0001 on user_satisfaction is below alpha 0.05", StringComparison.Ordinal));
        Assert.Contains(sut.All(), r => r.StartsWith("variant_a has 1,500 units (at least 1,000)", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_CompletedExperiment_LeadsWithItsOutcomeNotPromote()
    {
        var aggregate = Simulated.Aggregate(1, new("control", 1500), new("variant_a", 1500, Satisfaction: 0.85), new("variant_b", 1500));

        var sut = ExperimentAnalyzer.Analyze(aggregate, Equal with { Winner = "variant_a", PromotedAt = new DateTimeOffset(2026, 12, 1, 15, 0, 0, TimeSpan.Zero) }).Recommendation;

        Assert.Equal((RecommendedAction.Promote, "variant_a"), (sut.Action, sut.Variant));
        Assert.Equal("Completed: variant_a promoted on 2026-12-01.", sut.Outcome);
        Assert.Equal("Completed: variant_a promoted on 2026-12-01.", sut.Reasons[0]);
        Assert.DoesNotContain(sut.Reasons, r => r.StartsWith("Promote", StringComparison.Ordinal));
        Assert.Equal("The figures alone would promote variant_a:", sut.Details![0]);
        Assert.StartsWith("Promote variant_a: it meets every promotion criterion.", sut.Details[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_TwoWinners_HighestPrimaryScoreWins()
    {
        var aggregate = Simulated.Aggregate(2, new("control", 1500), new("variant_a", 1500, Satisfaction: 0.85), new("variant_b", 1500, Satisfaction: 0.9));

        var sut = ExperimentAnalyzer.Analyze(aggregate, Equal).Recommendation;

        Assert.Equal("variant_b", sut.Variant);
        Assert.Contains(sut.All(), r => r.StartsWith("variant_a also qualifies", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_WinnerButSampleRatioMismatch_Continues()
    {
        var aggregate = Simulated.Aggregate(3, new("control", 1500), new("variant_a", 1500, Satisfaction: 0.85), new("variant_b", 1500));

        var sut = ExperimentAnalyzer.Analyze(aggregate, Equal with { Weights = [80, 10, 10] });

        Assert.True(sut.Srm.Mismatch);
        Assert.Equal(RecommendedAction.Continue, sut.Recommendation.Action);
        Assert.Null(sut.Recommendation.Variant);
        Assert.Contains(sut.Recommendation.All(), r => r.Contains("sample-ratio mismatch", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_WinnerWithTooFewUnits_Continues()
    {
        var aggregate = Simulated.Aggregate(4, new("control", 900, RequestsPerUnit: 4), new("variant_a", 900, Satisfaction: 0.9, RequestsPerUnit: 4));

        var sut = ExperimentAnalyzer.Analyze(aggregate).Recommendation;

        Assert.Equal(RecommendedAction.Continue, sut.Action);
        Assert.Contains("variant_a has 900 units; promotion needs at least 1,000.", sut.All());
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
        Assert.Contains("variant_a has 80 requests; guardrails act from 100.", sut.All());
    }

    [Fact]
    public void Analyze_RolledBackVariant_NeitherRolledBackAgainNorPromoted()
    {
        var aggregate = Simulated.Aggregate(9, new("control", 1500), new("variant_a", 1500, Satisfaction: 0.9, ErrorRate: 0.3));

        var sut = ExperimentAnalyzer.Analyze(aggregate, new AnalysisOptions { RolledBack = new HashSet<string> { "variant_a" } }).Recommendation;

        Assert.Equal(RecommendedAction.Continue, sut.Action);
        Assert.Contains(sut.All(), r => r.StartsWith("variant_a is rolled back", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_ErrorRateSignificantlyAboveAllowedRatio_BlocksPromotion()
    {
        var aggregate = Simulated.Aggregate(10, new("control", 3000, ErrorRate: 0.005), new("variant_a", 3000, Satisfaction: 0.85, ErrorRate: 0.03));

        var sut = ExperimentAnalyzer.Analyze(aggregate).Recommendation;

        Assert.Equal(RecommendedAction.Continue, sut.Action);
        Assert.Contains(sut.All(), r => r.StartsWith("variant_a's error rate", StringComparison.Ordinal) && r.Contains("is significantly higher", StringComparison.Ordinal));
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
        Assert.Contains(sut.All(), r => r.StartsWith("variant_a's p95 latency", StringComparison.Ordinal) && r.EndsWith("is not below.", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_FreshExperiment_LeadsWithTheActionAndAtMostThreeReasonsWithoutNulls()
    {
        var aggregate = new ExperimentAggregate("sim");
        long sequence = 0;
        var start = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        foreach (var (variant, units) in new[] { ("control", 8), ("variant_a", 3), ("variant_b", 2) })
        {
            for (var u = 0; u < units; u++)
            {
                // Units arrive over one day: variant_b's 2 units in a day, 998 to go, so about 499 days.
                var at = start.AddHours(24.0 * u / units);
                aggregate.Add(new ExperimentEvent { Id = $"{variant}-{u}", Ts = at, Experiment = "sim", Variant = variant, Unit = $"{variant}-{u}", Type = EventType.Exposure, Stage = 0 }, ++sequence);
            }
        }

        aggregate.Add(new ExperimentEvent { Id = "last", Ts = start.AddDays(1), Experiment = "sim", Variant = "control", Unit = "control-0", Type = EventType.Exposure, Stage = 0 }, ++sequence);

        var sut = ExperimentAnalyzer.Analyze(aggregate, Equal with { Sequential = true }).Recommendation;

        Assert.Equal(RecommendedAction.Continue, sut.Action);
        Assert.Equal(
            [
                "Continue: no variant meets every promotion criterion yet, and no guardrail is breached.",
                "Not enough data yet: 2 of 1,000 units in variant_b, the variant with the fewest, about 499 days at the traffic so far.",
            ],
            sut.Reasons);
        Assert.DoesNotContain(sut.Reasons, r => r.Contains("null", StringComparison.Ordinal));
        Assert.Contains(sut.Details!, r => r.Contains("null", StringComparison.Ordinal));
        Assert.True(sut.Details!.Count > 10, $"{sut.Details.Count} details");
    }

    [Fact]
    public void Analyze_UnknownArrivalRate_SaysHowManyUnitsButNotHowLong()
    {
        var aggregate = Simulated.Aggregate(13, new("control", 300), new("variant_a", 200));

        var sut = ExperimentAnalyzer.Analyze(aggregate).Recommendation;

        Assert.Contains("Not enough data yet: 200 of 1,000 units in variant_a, the variant with the fewest.", sut.Reasons);
        Assert.InRange(sut.Reasons.Count, 2, 4);
    }

    [Fact]
    public void Analyze_RunningExperimentSignificantOnlyAtFixedHorizon_DoesNotPromote()
    {
        // A 3-point lift at 1,500 units per variant: the fixed-horizon p is below 0.05, the always-valid p is not.
        var aggregate = Simulated.Aggregate(14, new("control", 1500, Satisfaction: 0.75), new("variant_a", 1500, Satisfaction: 0.78));
        var options = new AnalysisOptions { Variants = ["control", "variant_a"] };

        var finished = ExperimentAnalyzer.Analyze(aggregate, options);
        var sut = ExperimentAnalyzer.Analyze(aggregate, options with { Sequential = true });

        var primary = sut.Variants[1].VsControl!["user_satisfaction"];
        Assert.True(primary.PValueClusteredHolm < 0.05, $"fixed-horizon p {primary.PValueClusteredHolm}");
        Assert.True(primary.PValueSequentialHolm >= 0.05, $"always-valid p {primary.PValueSequentialHolm}");
        Assert.Equal(RecommendedAction.Promote, finished.Recommendation.Action);
        Assert.Equal(RecommendedAction.Continue, sut.Recommendation.Action);
        Assert.Contains(sut.Recommendation.Reasons, r => r.StartsWith("variant_a's always-valid p_value_sequential_holm", StringComparison.Ordinal)
            && r.Contains("the fixed-horizon p_value_clustered_holm", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_AaExperimentsLookedAtEvery200Units_RunningRulePromotesFarLessThanFixedHorizon()
    {
        // 400 A/A experiments (satisfaction 75% in both), each looked at after every 200 units per variant up to 1,000,
        // promotion allowed from 200 units. A user promoting at the first PROMOTE: the fixed-horizon rule does so in 19 of the
        // 400 (4.75%), the always-valid rule (the monitor's) in none; the bounds leave room for other seeds.
        const int Experiments = 400;
        const int Looks = 5;
        var options = new AnalysisOptions { Variants = ["control", "variant_a"], Promotion = new PromotionOptions { MinUnits = 200 } };
        var fixedPromotions = 0;
        var sequentialPromotions = 0;
        for (var e = 0; e < Experiments; e++)
        {
            var random = new Random(1000 + e);
            var aggregate = new ExperimentAggregate("aa", QuantileMode.Sketch);
            var control = aggregate.GetOrAdd("control");
            var variant = aggregate.GetOrAdd("variant_a");
            var (fixedDone, sequentialDone) = (false, false);
            for (var look = 1; look <= Looks && !(fixedDone && sequentialDone); look++)
            {
                for (var u = (look - 1) * 200; u < look * 200; u++)
                {
                    AddUnit(control, $"c{u}", random);
                    AddUnit(variant, $"v{u}", random);
                }

                fixedDone |= !fixedDone && ExperimentAnalyzer.Analyze(aggregate, options).Recommendation.Action == RecommendedAction.Promote;
                sequentialDone |= !sequentialDone && ExperimentAnalyzer.Analyze(aggregate, options with { Sequential = true }).Recommendation.Action == RecommendedAction.Promote;
            }

            fixedPromotions += fixedDone ? 1 : 0;
            sequentialPromotions += sequentialDone ? 1 : 0;
        }

        Assert.InRange(fixedPromotions / (double)Experiments, 0.03, 0.08);
        Assert.InRange(sequentialPromotions / (double)Experiments, 0, 0.01);
    }

    [Fact]
    public void Analyze_RunningExperiment_PromotionSignificanceIsTheMonitors()
    {
        var experiment = SeedExperiment.Running();
        var signals = new RolloutSignals(experiment.Key);
        var aggregate = new ExperimentAggregate(experiment.Key);
        var random = new Random(15);
        long sequence = 0;
        foreach (var (variant, satisfaction) in new[] { ("control", 0.75), ("variant_a", 0.85), ("variant_b", 0.76) })
        {
            for (var u = 0; u < 1200; u++)
            {
                var unit = $"{variant}-{u}";
                ExperimentEvent[] events =
                [
                    new() { Id = unit + "-x", Type = EventType.Exposure, Experiment = experiment.Key, Variant = variant, Unit = unit, Ts = SeedExperiment.Epoch, Stage = 0 },
                    new() { Id = unit + "-c", Type = EventType.Completion, Experiment = experiment.Key, Variant = variant, Unit = unit, Ts = SeedExperiment.Epoch, Stage = 0, RequestId = unit, LatencyMs = 800 + random.Next(400) },
                    new() { Id = unit + "-f", Type = EventType.Feedback, Experiment = experiment.Key, Variant = variant, Unit = unit, Ts = SeedExperiment.Epoch, RequestId = unit, Score = "user_satisfaction", Value = random.NextDouble() < satisfaction ? 1 : 0 },
                ];
                foreach (var e in events)
                {
                    signals.Add(e);
                    aggregate.Add(e, ++sequence);
                }
            }
        }

        var sut = ExperimentAnalyzer.Analyze(aggregate, AnalysisOptions.For(experiment));
        var monitor = SequentialPromotion.Candidates(experiment, signals, notes: null).Single(c => c.Variant == "variant_a");

        Assert.Equal(monitor.Metrics["p_value_sequential_holm"], sut.Variants[1].VsControl!["user_satisfaction"].PValueSequentialHolm!.Value, 1e-12);
    }

    [Theory]
    [InlineData(0.8, "Promote")]
    [InlineData(0.65, "Continue")]
    public void Analyze_WinnerWithAJudgeFloor_PromotedOnlyWhenItsJudgeScoreIsEstablishedWithinMaxDrop(double judged, string action)
    {
        var aggregate = Simulated.Aggregate(1, new("control", 1500), new("variant_a", 1500, Satisfaction: 0.85));
        Judge(aggregate, "control", 0.8);
        Judge(aggregate, "variant_a", judged);
        var options = new AnalysisOptions { Promotion = new PromotionOptions { MinScore = Floor(0.05) } };

        var sut = ExperimentAnalyzer.Analyze(aggregate, options).Recommendation;

        Assert.Equal(Enum.Parse<RecommendedAction>(action), sut.Action);
        var text = action == "Promote" ? "is established within the floor (always-valid lower bound" : "is not established within the floor (always-valid lower bound";
        Assert.Contains(sut.All(), r => r.StartsWith("variant_a's judge_helpfulness ", StringComparison.Ordinal) && r.Contains(text, StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_JudgeScoreEstablishedBelowTheGuardrailFloor_RollsBackWithTheReason()
    {
        var aggregate = Simulated.Aggregate(1, new("control", 1500), new("variant_a", 1500, Satisfaction: 0.85));
        Judge(aggregate, "control", 0.8);
        Judge(aggregate, "variant_a", 0.6);
        var options = new AnalysisOptions { Guardrails = new GuardrailOptions { MinScore = Floor(0.05) } };

        var sut = ExperimentAnalyzer.Analyze(aggregate, options).Recommendation;

        Assert.Equal((RecommendedAction.Rollback, "variant_a"), (sut.Action, sut.Variant));
        Assert.StartsWith("Roll back variant_a: variant_a's judge_helpfulness 0.6", sut.Reasons[0], StringComparison.Ordinal);
        Assert.Contains("is established below the control's 0.8", sut.Reasons[0], StringComparison.Ordinal);
    }

    private static System.Collections.Immutable.ImmutableSortedDictionary<string, ScoreFloor> Floor(double maxDrop) =>
        System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(
            StringComparer.Ordinal, [KeyValuePair.Create("judge_helpfulness", new ScoreFloor(maxDrop))]);

    // A judge's verdict on 1,000 requests of 500 units: 1 for a share mean·2 − 1 of them, else 0.5 (mean exactly mean).
    private static void Judge(ExperimentAggregate aggregate, string variant, double mean)
    {
        var v = aggregate.GetOrAdd(variant);
        for (var i = 0; i < 1_000; i++)
        {
            var value = i % 100 < (int)Math.Round(((mean * 2) - 1) * 100) ? 1.0 : 0.5;
            v.AddFeedback("judge_helpfulness", EventKey.Of($"{variant}-j{i / 2}"), EventKey.Of($"{variant}-jr{i}"), i, i, value);
        }
    }

    private static void AddUnit(VariantAggregate variant, string name, Random random)
    {
        var unit = EventKey.Of(name);
        variant.AddExposure(unit);
        variant.AddCompletion(unit, 800 + (400 * random.NextDouble()), failed: false, 0.01, 100, 50);
        variant.AddFeedback("user_satisfaction", unit, EventKey.Of(name + "-r"), 0, 0, random.NextDouble() < 0.75 ? 1 : 0);
    }
}
