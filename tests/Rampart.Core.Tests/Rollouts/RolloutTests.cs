using Rampart.Core.Audit;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;
using Rampart.Testing;

namespace Rampart.Core.Tests.Rollouts;

public sealed class RolloutTests
{
    private static readonly DateTimeOffset Now = SeedExperiment.Epoch.AddDays(7);

    [Fact]
    public void Start_Draft_RunsFirstStageAndAudits()
    {
        var change = Rollout.Start(SeedExperiment.Draft(), Now, "cli");

        Assert.Equal(ExperimentState.Running, change.Experiment.State);
        Assert.Equal(2, change.Experiment.Version);
        Assert.Equal(Now, change.Experiment.StageStartedAt);
        Assert.Equal((AuditAction.Start, "cli"), (change.Audit.Action, change.Audit.Who));
        Assert.Contains("control=80, variant_a=10, variant_b=10", change.Audit.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Advance_LastStage_ThrowsNamingPromote()
    {
        var sut = SeedExperiment.Running();
        sut = Rollout.Advance(sut, Now, "cli").Experiment;
        sut = Rollout.Advance(sut, Now, "cli").Experiment;

        var ex = Assert.Throws<RolloutException>(() => Rollout.Advance(sut, Now, "cli"));

        Assert.Contains("rampart rollout promote prompt-opt-v2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Advance_AfterRollback_GivesRolledBackWeightToControl()
    {
        var sut = Rollout.Rollback(SeedExperiment.Running(), "variant_b", "latency", Now, "monitor").Experiment;

        var next = Rollout.Advance(sut, Now, "cli").Experiment;

        Assert.Equal([8000, 2000, 0], next.Current.Table.Counts);
        Assert.Equal(1, next.Stage);
        Assert.Equal(AllocationKind.Stage, next.Current.Kind);
    }

    [Fact]
    public void Rollback_Control_Throws()
    {
        var ex = Assert.Throws<RolloutException>(() => Rollout.Rollback(SeedExperiment.Running(), "control", "why", Now, "cli"));

        Assert.Contains("'control'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rollback_UnknownVariant_ThrowsListingVariants()
    {
        var ex = Assert.Throws<RolloutException>(() => Rollout.Rollback(SeedExperiment.Running(), "variant_z", "why", Now, "cli"));

        Assert.Contains("control, variant_a, variant_b", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rollback_Twice_Throws()
    {
        var sut = Rollout.Rollback(SeedExperiment.Running(), "variant_a", "errors", Now, "monitor").Experiment;

        Assert.Throws<RolloutException>(() => Rollout.Rollback(sut, "variant_a", "again", Now, "monitor"));
    }

    [Fact]
    public void Rollback_RecordsReasonVariantAndMetrics()
    {
        var change = Rollout.Rollback(SeedExperiment.Running(), "variant_a", "error rate 9.1% > 5%", Now, "monitor",
            new Dictionary<string, double> { ["error_rate"] = 0.091, ["requests"] = 420 });

        Assert.Equal("error rate 9.1% > 5%", change.Experiment.RolledBack["variant_a"]);
        Assert.Equal((AuditAction.Rollback, "variant_a", "monitor"), (change.Audit.Action, change.Audit.Variant, change.Audit.Who));
        Assert.Equal(0.091, change.Audit.Metrics["error_rate"]);
    }

    [Fact]
    public void SetStage_RolledBackVariantWithWeight_ThrowsNamingField()
    {
        var sut = Rollout.Rollback(SeedExperiment.Running(), "variant_a", "errors", Now, "monitor").Experiment;
        var weights = StageWeights.Parse("control=60,variant_a=20,variant_b=20", sut.Definition.VariantNames);

        var ex = Assert.Throws<ExperimentValidationException>(() => Rollout.SetStage(sut, weights, Now, "cli"));

        Assert.Equal(["weights.variant_a must be 0: 'variant_a' was rolled back"], ex.Problems);
    }

    [Fact]
    public void Promote_CompletesWithWinner()
    {
        var change = Rollout.Promote(SeedExperiment.Running(), "variant_b", Now, "cli");

        Assert.Equal((ExperimentState.Completed, "variant_b"), (change.Experiment.State, change.Experiment.Winner));
        Assert.Equal([0, 0, 10_000], change.Experiment.Current.Table.Counts);
        Assert.Equal(AuditAction.Promote, change.Audit.Action);
    }

    [Fact]
    public void Commands_OnDraftOrCompleted_ThrowWithHint()
    {
        var draft = SeedExperiment.Draft();
        var completed = Rollout.Promote(SeedExperiment.Running(), "variant_b", Now, "cli").Experiment;

        Assert.Contains("rampart rollout start", Assert.Throws<RolloutException>(() => Rollout.Advance(draft, Now, "cli")).Message, StringComparison.Ordinal);
        Assert.Throws<RolloutException>(() => Rollout.Pause(draft, Now, "cli"));
        Assert.Throws<RolloutException>(() => Rollout.Start(completed, Now, "cli"));
        Assert.Throws<RolloutException>(() => Rollout.Rollback(completed, "variant_a", "x", Now, "cli"));
    }

    [Fact]
    public void PauseThenStart_ResumesSameAllocation()
    {
        var running = SeedExperiment.Running();
        var paused = Rollout.Pause(running, Now, "cli").Experiment;

        var resumed = Rollout.Start(paused, Now, "cli");

        Assert.Equal(ExperimentState.Running, resumed.Experiment.State);
        Assert.Same(running.Current, resumed.Experiment.Current);
        Assert.Contains("resumed", resumed.Audit.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void SetShadow_Draft_AddsAShadowStageServingTheControlAndAudits()
    {
        var change = Rollout.SetShadow(SeedExperiment.Draft(), new ShadowStage(["variant_a"], 0.25, 20), Now, "cli");

        var first = change.Experiment.Definition.Stages[0];
        Assert.Equal(["variant_a"], first.Shadow!.Variants);
        Assert.Equal((0.25, 20.0), (first.Shadow.SampleRate, first.Shadow.MaxCostUsdPerDay!.Value));
        Assert.Equal([10_000, 0, 0], change.Experiment.Current.Table.Counts);
        Assert.Equal(4, change.Experiment.Definition.Stages.Length);
        Assert.Equal((AuditAction.Shadow, "shadow variant_a on 25% of the requests, at most $20 a day each"), (change.Audit.Action, change.Audit.Reason));
    }

    [Theory]
    [InlineData(new[] { "control" }, 0.1, null, "variants: 'control' is the control")]
    [InlineData(new[] { "nope" }, 0.1, null, "variants: 'nope' is not one of the variants")]
    [InlineData(new[] { "variant_a", "variant_a" }, 0.1, null, "variants: 'variant_a' is listed twice")]
    [InlineData(new[] { "variant_a" }, 0.0, null, "sample_rate must be a number above 0 to 1")]
    [InlineData(new[] { "variant_a" }, 0.1, 1_000_001.0, "max_cost_usd_per_day must be a number from 0 to 1000000")]
    [InlineData(new[] { "variant_a" }, 0.1, -1.0, "max_cost_usd_per_day must be a number from 0 to 1000000")]
    public void SetShadow_BadShadow_NamesTheField(string[] variants, double sampleRate, double? cap, string problem)
    {
        var ex = Assert.Throws<ExperimentValidationException>(() => Rollout.SetShadow(SeedExperiment.Draft(), new ShadowStage([.. variants], sampleRate, cap), Now, "cli"));

        Assert.Contains(ex.Problems, p => p.StartsWith(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void SetShadow_DraftListingTheMostStages_RefusedAsTheShadowStageWouldBeOneTooMany()
    {
        // One more stage and the promoted stage's index (the number of stages) would pass the 1000 an event may record.
        var full = SeedExperiment.Draft();
        full = full with { Definition = full.Definition with { Stages = [.. Enumerable.Repeat(full.Definition.Stages[0], ExperimentDefinitionJson.MaxStages)] } };

        var ex = Assert.Throws<ExperimentValidationException>(() => Rollout.SetShadow(full, new ShadowStage(["variant_a"]), Now, "cli"));

        Assert.Equal(["stages: 'prompt-opt-v2' lists 1000 stages, which leaves no room for a shadow stage before them (at most 1000)"], ex.Problems);
    }

    [Fact]
    public void SetShadow_ServingExperiment_Refused()
    {
        Assert.Throws<RolloutException>(() => Rollout.SetShadow(SeedExperiment.Running(), new ShadowStage(["variant_a"]), Now, "cli"));
    }

    [Fact]
    public void SetTargeting_RunningThenCleared_AuditsBothAndKeepsTheAllocation()
    {
        var running = SeedExperiment.Running();
        var rule = Core.Targeting.TargetingJson.Parse("""{"all": [{"attribute": "plan", "eq": "pro"}]}""");

        var set = Rollout.SetTargeting(running, rule, Now, "cli");
        var cleared = Rollout.SetTargeting(set.Experiment, null, Now, "cli");

        Assert.Same(rule, set.Experiment.Definition.Targeting);
        Assert.Same(running.Current, set.Experiment.Current);
        Assert.Equal((AuditAction.Target, "targeting set to {\"all\":[{\"attribute\":\"plan\",\"eq\":\"pro\"}]}"), (set.Audit.Action, set.Audit.Reason));
        Assert.Null(cleared.Experiment.Definition.Targeting);
        Assert.Equal("targeting removed: every unit is in the experiment", cleared.Audit.Reason);
        Assert.Equal(running.Version + 2, cleared.Experiment.Version);
    }

    [Fact]
    public void SetTargeting_Completed_Refused()
    {
        var completed = Rollout.Promote(SeedExperiment.Running(), "variant_a", Now, "cli", "won").Experiment;

        Assert.Throws<RolloutException>(() => Rollout.SetTargeting(completed, null, Now, "cli"));
    }
}
