using Rampart.Analysis.Monitoring;
using Rampart.Core.Events;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;

namespace Rampart.Analysis.Tests.Monitoring;

public sealed class MonitorEngineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("manual", 10, false)]
    [InlineData("scheduled", 0.5, false)]
    [InlineData("scheduled", 1.5, true)]
    public void Evaluate_HealthyStage_AdvancesOnlyWhenScheduledAndMinDurationElapsed(string mode, double days, bool advances)
    {
        var experiment = Started(Definition(mode));
        var signals = new RolloutSignals(experiment.Key);
        Split(signals, stage: 0, control: 500, variant: 500);

        var sut = MonitorEngine.Evaluate(experiment, signals, T0 + TimeSpan.FromDays(days));

        Assert.Equal(advances ? [MonitorActionKind.Advance] : [], sut.Actions.Select(a => a.Kind));
    }

    [Fact]
    public void Evaluate_AfterARamp_TestsTheSplitPerStageSoNoFalseMismatch()
    {
        // Stage 1 served 50/50, stage 2 serves 90/10: over the whole history the units look nothing like 90/10.
        var experiment = Rollout.Advance(Started(Definition("scheduled")), T0 + TimeSpan.FromDays(1), "test").Experiment;
        var signals = new RolloutSignals(experiment.Key);
        Split(signals, stage: 0, control: 1_000, variant: 1_000);
        Split(signals, stage: 1, control: 900, variant: 100);

        var sut = MonitorEngine.Evaluate(experiment, signals, T0 + TimeSpan.FromDays(1.5));

        Assert.Empty(sut.Actions);
        Assert.Contains(sut.Notes, n => n.Contains("min_duration", StringComparison.Ordinal));
    }

    [Fact]
    public void Evaluate_SkewedCurrentStage_HoldsAdvanceAndReportsTheMismatch()
    {
        var experiment = Started(Definition("scheduled"));
        var signals = new RolloutSignals(experiment.Key);
        Split(signals, stage: 0, control: 600, variant: 400);

        var sut = MonitorEngine.Evaluate(experiment, signals, T0 + TimeSpan.FromDays(2));

        var hold = Assert.Single(sut.Actions);
        Assert.Equal(MonitorActionKind.SrmHold, hold.Kind);
        Assert.True(hold.Metrics["srm_p_value_sequential"] < 0.001);
        Assert.Equal(600, hold.Metrics["units_control"]);
    }

    [Fact]
    public void Evaluate_BreachedGuardrailAndDueAdvance_RollsBackFirstAndNothingElse()
    {
        var experiment = Started(Definition("scheduled"));
        var signals = new RolloutSignals(experiment.Key);
        Split(signals, stage: 0, control: 500, variant: 500, variantErrorEvery: 4);

        var sut = MonitorEngine.Evaluate(experiment, signals, T0 + TimeSpan.FromDays(2));

        var rollback = Assert.Single(sut.Actions);
        Assert.Equal((MonitorActionKind.Rollback, "variant"), (rollback.Kind, rollback.Variant));
        Assert.Equal(0.25, rollback.Metrics["error_rate"], 3);
        var change = MonitorChanges.Apply(experiment, rollback, T0 + TimeSpan.FromDays(2))!;
        Assert.Equal(("monitor", rollback.Reason), (change.Audit.Who, change.Audit.Reason));
        Assert.Equal(rollback.Metrics, change.Audit.Metrics);
        Assert.DoesNotContain(MonitorEngine.Evaluate(change.Experiment, signals, T0 + TimeSpan.FromDays(2)).Actions, a => a.Kind == MonitorActionKind.Rollback);
    }

    [Fact]
    public void Evaluate_PausedExperiment_DoesNothing()
    {
        var experiment = Rollout.Pause(Started(Definition("scheduled")), T0, "test").Experiment;
        var signals = new RolloutSignals(experiment.Key);
        Split(signals, stage: 0, control: 500, variant: 500, variantErrorEvery: 2);

        Assert.Empty(MonitorEngine.Evaluate(experiment, signals, T0 + TimeSpan.FromDays(2)).Actions);
    }

    [Theory]
    [InlineData(80, true)]
    [InlineData(74, false)]
    public void Evaluate_AutoLastStageWithAJudgeFloor_PromotesOnlyWhenTheJudgeScoreIsEstablishedWithinMaxDrop(int variantTopRated, bool promotes)
    {
        var experiment = Rollout.Advance(Started(JudgedDefinition()), T0 + TimeSpan.FromDays(1), "test").Experiment;
        var signals = new RolloutSignals(experiment.Key);
        Split(signals, stage: 1, control: 2_000, variant: 2_000);
        Score(signals, "user_satisfaction", "control", 1, i => i % 2 == 0 ? 1 : 0);
        Score(signals, "user_satisfaction", "variant", 1, i => i % 10 < 7 ? 1 : 0);
        // Judge scores 1 or 0.5: the control's mean is 0.9; the variant's 0.9 (80 of 100 top-rated) or 0.87 (74 of 100), 3
        // points below, within max_drop but not yet established within it.
        Score(signals, "judge_helpfulness", "control", 1, i => i % 100 < 80 ? 1 : 0.5);
        Score(signals, "judge_helpfulness", "variant", 1, i => i % 100 < variantTopRated ? 1 : 0.5);

        var sut = MonitorEngine.Evaluate(experiment, signals, T0 + TimeSpan.FromDays(3));

        Assert.Equal(promotes ? [MonitorActionKind.Promote] : [], sut.Actions.Select(a => a.Kind));
        Assert.Equal(!promotes, sut.Notes.Any(n => n.Contains("its judge_helpfulness 0.87 is not established within max_drop 0.05 of the control's 0.9", StringComparison.Ordinal)));
    }

    [Fact]
    public void Evaluate_JudgeScoreEstablishedBelowTheFloor_RollsBackWithTheScoreInTheReason()
    {
        var experiment = Started(JudgedDefinition());
        var signals = new RolloutSignals(experiment.Key);
        Split(signals, stage: 0, control: 1_000, variant: 1_000);
        Score(signals, "judge_helpfulness", "control", 0, i => i % 5 < 4 ? 1 : 0.5);
        Score(signals, "judge_helpfulness", "variant", 0, i => i % 2 == 0 ? 1 : 0.5);

        var sut = MonitorEngine.Evaluate(experiment, signals, T0 + TimeSpan.FromHours(1));

        var rollback = Assert.Single(sut.Actions);
        Assert.Equal((MonitorActionKind.Rollback, "variant"), (rollback.Kind, rollback.Variant));
        Assert.StartsWith("guardrail: variant's judge_helpfulness 0.75 is established below the control's 0.9 by more than max_drop 0.05", rollback.Reason, StringComparison.Ordinal);
    }

    private static ExperimentDefinition JudgedDefinition() => ExperimentDefinitionJson.Parse("""
        { "key": "engine", "control": "control",
          "variants": { "control": { "provider": "sim", "model": "m" }, "variant": { "provider": "sim", "model": "m" } },
          "stages": [ { "weights": { "control": 50, "variant": 50 }, "min_duration": "1d" },
                      { "weights": { "control": 50, "variant": 50 }, "min_duration": "1d" } ],
          "advance": "auto",
          "judges": [ { "name": "helpfulness", "provider": "sim", "model": "judge-m" } ],
          "guardrails": { "min_score": { "judge_helpfulness": { "max_drop": 0.05 } } },
          "promotion": { "min_units": 100, "min_score": { "judge_helpfulness": { "max_drop": 0.05 } } } }
        """);

    // One feedback value per request of Split's units.
    private static void Score(RolloutSignals signals, string score, string variant, int stage, Func<int, double> value)
    {
        for (var i = 0; i < 2_000 && signals.Find(variant)!.Requests > i; i++)
        {
            var unit = $"{variant}-{stage}-{i}";
            signals.Add(new ExperimentEvent
            {
                Type = EventType.Feedback, Experiment = signals.Experiment, Variant = variant, Unit = unit, Ts = T0, RequestId = unit,
                Score = score, Value = value(i), Source = score.StartsWith("judge_", StringComparison.Ordinal) ? "judge" : null,
            });
        }
    }

    private static ExperimentDefinition Definition(string advance) => ExperimentDefinitionJson.Parse($$"""
        { "key": "engine", "control": "control",
          "variants": { "control": { "provider": "sim", "model": "m" }, "variant": { "provider": "sim", "model": "m" } },
          "stages": [ { "weights": { "control": 50, "variant": 50 }, "min_duration": "1d" },
                      { "weights": { "control": 90, "variant": 10 }, "min_duration": "1d" } ],
          "advance": "{{advance}}" }
        """);

    private static Experiment Started(ExperimentDefinition definition) =>
        Rollout.Start(Experiment.CreateDraft(definition, T0), T0, "test").Experiment;

    // One unit per request, exposed and served at the given stage.
    private static void Split(RolloutSignals signals, int stage, int control, int variant, int variantErrorEvery = 0)
    {
        foreach (var (name, units) in new[] { ("control", control), ("variant", variant) })
        {
            for (var i = 0; i < units; i++)
            {
                var unit = $"{name}-{stage}-{i}";
                var failed = name == "variant" && variantErrorEvery > 0 && i % variantErrorEvery == 0;
                signals.Add(new ExperimentEvent { Type = EventType.Exposure, Experiment = signals.Experiment, Variant = name, Unit = unit, Ts = T0, Stage = stage });
                signals.Add(new ExperimentEvent
                {
                    Type = EventType.Completion, Experiment = signals.Experiment, Variant = name, Unit = unit, Ts = T0, Stage = stage,
                    RequestId = unit, LatencyMs = 800 + (i % 100), Error = failed ? "boom" : null,
                });
            }
        }
    }
}
