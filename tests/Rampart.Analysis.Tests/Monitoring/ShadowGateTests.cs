using Rampart.Analysis.Monitoring;
using Rampart.Analysis.Tests.Shadow;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;

namespace Rampart.Analysis.Tests.Monitoring;

public sealed class ShadowGateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Evaluate_ShadowVariantWith12PercentErrors_RolledBackInShadowBeforeServingAnyone()
    {
        var experiment = Started(Definition("auto"));
        var events = Pairs(1_000, variantBErrorsPer100: 12);

        var sut = MonitorEngine.Evaluate(experiment, events.Signals(), T0 + TimeSpan.FromHours(1));

        var rollback = Assert.Single(sut.Actions);
        Assert.Equal((MonitorActionKind.Rollback, "variant_b"), (rollback.Kind, rollback.Variant));
        Assert.StartsWith("shadow: guardrail: variant_b's error rate 12.00%", rollback.Reason, StringComparison.Ordinal);
        Assert.Contains("before variant_b served anyone", rollback.Reason, StringComparison.Ordinal);
        var change = MonitorChanges.Apply(experiment, rollback, T0 + TimeSpan.FromHours(1))!;
        Assert.True(change.Experiment.IsRolledBack("variant_b"));
        Assert.StartsWith("shadow:", change.Audit.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ShadowJudgeScoreFarBelowTheControls_RolledBackInShadowByTheScoreFloor()
    {
        var experiment = Started(Definition("auto", minScore: true, guardrailFloor: true));
        var events = Pairs(400);
        for (var i = 0; i < 400; i++)
        {
            events.ServedVerdict($"r{i}", 0.8 + (i % 5 * 0.02)).ShadowVerdict("variant_a", $"r{i}", 0.8 + (i % 5 * 0.02)).ShadowVerdict("variant_b", $"r{i}", 0.3 + (i % 5 * 0.02));
        }

        var sut = MonitorEngine.Evaluate(experiment, events.Signals(), T0 + TimeSpan.FromHours(1));

        var rollback = Assert.Single(sut.Actions);
        Assert.Equal((MonitorActionKind.Rollback, "variant_b"), (rollback.Kind, rollback.Variant));
        Assert.StartsWith("shadow: guardrail: variant_b's judge_helpfulness", rollback.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_AutoShadowStage_WaitsForMinDurationAndPairsThenAdvancesListingEachVariant()
    {
        var experiment = Started(Definition("auto"));
        var few = Pairs(60).Signals();
        var enough = Pairs(400).Signals();

        var early = MonitorEngine.Evaluate(experiment, enough, T0 + TimeSpan.FromHours(12));
        var tooFew = MonitorEngine.Evaluate(experiment, few, T0 + TimeSpan.FromDays(2));
        var sut = MonitorEngine.Evaluate(experiment, enough, T0 + TimeSpan.FromDays(2));

        Assert.Empty(early.Actions);
        Assert.Empty(tooFew.Actions);
        Assert.Contains(tooFew.Notes, n => n.Contains("variant_a has 60 of the 100 pairs it needs", StringComparison.Ordinal));
        var advance = Assert.Single(sut.Actions);
        Assert.Equal(MonitorActionKind.Advance, advance.Kind);
        Assert.Contains("every shadow variant passed the paired gate: variant_a (400 pairs", advance.Reason, StringComparison.Ordinal);
        Assert.Contains("variant_b (400 pairs", advance.Reason, StringComparison.Ordinal);
        Assert.Equal(400, advance.Metrics["pairs_variant_b"]);
    }

    [Fact]
    public void Evaluate_ShadowWorseOnTheSameRequests_WaitsWithTheMcNemarFigure()
    {
        // 4% errors stay below max_error_rate 5%, so no guardrail acts, but the control never fails: the gate holds.
        var experiment = Started(Definition("auto"));
        var signals = Pairs(400, variantBErrorsPer100: 4).Signals();

        var sut = MonitorEngine.Evaluate(experiment, signals, T0 + TimeSpan.FromDays(2));

        Assert.Empty(sut.Actions);
        Assert.Contains(sut.Notes, n => n.Contains("variant_b fails more often than the control on the same requests (McNemar one-sided p", StringComparison.Ordinal));
    }

    [Fact]
    public void Evaluate_JudgeScoreDropsInShadow_GateWaitsOnTheLowerBound()
    {
        var experiment = Started(Definition("auto", minScore: true));
        var events = Pairs(400);
        for (var i = 0; i < 400; i++)
        {
            events.ServedVerdict($"r{i}", 0.8).ShadowVerdict("variant_a", $"r{i}", 0.8).ShadowVerdict("variant_b", $"r{i}", i % 2 == 0 ? 0.8 : 0.6);
        }

        var sut = MonitorEngine.Evaluate(experiment, events.Signals(), T0 + TimeSpan.FromDays(2));

        Assert.DoesNotContain(sut.Actions, a => a.Kind is MonitorActionKind.Advance or MonitorActionKind.Promote);
        Assert.Contains(sut.Notes, n => n.Contains("variant_b's judge_helpfulness paired difference has lower 95% bound", StringComparison.Ordinal));
        Assert.DoesNotContain(sut.Notes, n => n.Contains("variant_a's judge_helpfulness", StringComparison.Ordinal));
    }

    [Fact]
    public void Evaluate_ScheduledShadowStage_AdvancesAfterMinDurationWhateverThePairs()
    {
        var experiment = Started(Definition("scheduled"));

        var sut = MonitorEngine.Evaluate(experiment, Pairs(10).Signals(), T0 + TimeSpan.FromDays(2));

        Assert.Equal([MonitorActionKind.Advance], sut.Actions.Select(a => a.Kind));
    }

    [Fact]
    public void Evaluate_EveryShadowVariantRolledBack_HoldsAndNeverAdvancesOrPromotes()
    {
        var experiment = Started(Definition("scheduled"));
        experiment = Rollout.Rollback(experiment, "variant_a", "test", T0, "test").Experiment;
        experiment = Rollout.Rollback(experiment, "variant_b", "test", T0, "test").Experiment;

        var sut = MonitorEngine.Evaluate(experiment, Pairs(400).Signals(), T0 + TimeSpan.FromDays(2));

        Assert.Empty(sut.Actions);
        Assert.Contains(sut.Notes, n => n.Contains("Every shadow variant of stage 1 was rolled back", StringComparison.Ordinal));
    }

    [Fact]
    public void Evaluate_OnlyStageIsAServingOneAfterTheShadowStage_NoPromotionFromTheShadowStage()
    {
        var experiment = Started(Definition("auto"));

        var sut = MonitorEngine.Evaluate(experiment, Pairs(400).Signals(), T0 + TimeSpan.FromDays(2));

        Assert.DoesNotContain(sut.Actions, a => a.Kind == MonitorActionKind.Promote);
    }

    [Fact]
    public void Evaluate_ShadowStageServesOnlyTheControl_NoSampleRatioCheck()
    {
        var experiment = Started(Definition("scheduled"));

        var sut = MonitorEngine.Evaluate(experiment, Pairs(400).Signals(), T0 + TimeSpan.FromHours(1));

        Assert.DoesNotContain(sut.Actions, a => a.Kind == MonitorActionKind.SrmHold);
        Assert.Contains(sut.Notes, n => n.Contains("a shadow stage serves every unit the control", StringComparison.Ordinal));
    }

    private static ExperimentDefinition Definition(string advance, bool minScore = false, bool guardrailFloor = false) => ExperimentDefinitionJson.Parse($$"""
        { "key": "prompt-opt-v2", "control": "control",
          "variants": { "control": { "provider": "sim", "model": "m" }, "variant_a": { "provider": "sim", "model": "m" },
                        "variant_b": { "provider": "sim", "model": "m" } },
          "stages": [ { "shadow": { "variants": ["variant_a", "variant_b"], "sample_rate": 0.5 }, "min_duration": "1d" },
                      { "weights": { "control": 80, "variant_a": 10, "variant_b": 10 }, "min_duration": "1d" } ],
          {{(minScore ? "\"judges\": [ { \"name\": \"helpfulness\", \"provider\": \"sim\", \"model\": \"judge-m\" } ], \"promotion\": { \"min_score\": { \"judge_helpfulness\": { \"max_drop\": 0.05 } } }," : "")}}
          {{(guardrailFloor ? "\"guardrails\": { \"min_score\": { \"judge_helpfulness\": { \"max_drop\": 0.05 } } }," : "")}}
          "advance": "{{advance}}" }
        """);

    private static Experiment Started(ExperimentDefinition definition) =>
        Rollout.Start(Experiment.CreateDraft(definition, T0), T0, "test").Experiment;

    // n served requests each shadowed by both variants, latencies within 2% of each other; variant_b fails on the given share.
    private static ShadowEvents Pairs(int n, int variantBErrorsPer100 = 0)
    {
        var events = new ShadowEvents();
        for (var i = 0; i < n; i++)
        {
            var pair = $"r{i}";
            var latency = 500 + (i % 50 * 10);
            events.Served(pair, latency)
                .Shadowed("variant_a", pair, latency * (i % 2 == 0 ? 1.02 : 0.99))
                .Shadowed("variant_b", pair, latency * 1.01, failed: i % 100 < variantBErrorsPer100);
        }

        return events;
    }
}
