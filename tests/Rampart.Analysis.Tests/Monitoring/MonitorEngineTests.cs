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
