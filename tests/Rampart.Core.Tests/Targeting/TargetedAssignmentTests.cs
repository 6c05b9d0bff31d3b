using Rampart.Core.Rollouts;
using Rampart.Core.Targeting;
using Rampart.Testing;

namespace Rampart.Core.Tests.Targeting;

public sealed class TargetedAssignmentTests
{
    private static readonly TargetingRule ProOutsideGermany = TargetingJson.Parse(
        """{"all": [{"attribute": "plan", "in": ["pro", "team"]}, {"attribute": "country", "not_in": ["DE"]}]}""");

    [Fact]
    public void Assign_UnitOutsideTheTargeting_GetsTheControlNotTargetedAndNoBucket()
    {
        var sut = new ExperimentAssigner(Targeted(SeedExperiment.Running()));

        var assignment = sut.Assign("user-1", TargetingRuleTests.Attributes("""{"plan": "free"}"""));

        Assert.Equal(("control", AssignmentReason.NotTargeted, -1), (assignment.Variant.Name, assignment.Reason, assignment.Bucket));
        Assert.Equal(AssignmentReason.NotTargeted, sut.Assign("user-1").Reason);   // no attributes: not targeted
    }

    [Fact]
    public void Assign_TargetedUnits_GetExactlyTheVariantTheyWouldWithoutTargeting_AcrossARamp()
    {
        var pro = TargetingRuleTests.Attributes("""{"plan": "pro", "country": "FR"}""");
        var plain = SeedExperiment.Running();
        var ramped = Rollout.Advance(plain, plain.StageStartedAt!.Value.AddDays(1), "test").Experiment;

        foreach (var experiment in new[] { plain, ramped })
        {
            var untargeted = new ExperimentAssigner(experiment);
            var targeted = new ExperimentAssigner(Targeted(experiment));
            for (var i = 0; i < 10_000; i++)
            {
                var unit = $"user-{i}";
                Assert.Equal(untargeted.Assign(unit), targeted.Assign(unit, pro));
            }
        }
    }

    [Fact]
    public void Assign_DraftExperiment_NotStartedBeforeTargeting()
    {
        var sut = new ExperimentAssigner(Targeted(SeedExperiment.Draft()));

        Assert.Equal(AssignmentReason.NotStarted, sut.Assign("user-1", UnitAttributes.None).Reason);
    }

    [Fact]
    public void Assign_TargetedLayeredExperiment_AllocatesNothing()
    {
        // Assign is the ~35 ns hot path: targeting (with a semver condition) and the layer check must add no allocation.
        var rule = TargetingJson.Parse("""{"all": [{"attribute": "plan", "in": ["pro", "team"]}, {"attribute": "app", "semver_gte": "2.0.0-rc.1"}]}""");
        var plain = SeedExperiment.Running();
        var layer = new Core.Experiments.LayerMembership("l", Core.Allocation.Weight.FromPercent(0), Core.Allocation.Weight.FromPercent(90), Core.Allocation.Weight.FromPercent(5));
        var sut = new ExperimentAssigner(plain with { Definition = plain.Definition with { Targeting = rule, Layer = layer } });
        var attributes = TargetingRuleTests.Attributes("""{"plan": "pro", "app": "2.1.0-beta.3"}""");
        var units = Enumerable.Range(0, 100).Select(i => $"user-{i}").ToArray();
        foreach (var unit in units)
        {
            sut.Assign(unit, attributes);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var unit in units)
        {
            sut.Assign(unit, attributes);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static Experiment Targeted(Experiment experiment) =>
        experiment with { Definition = experiment.Definition with { Targeting = ProOutsideGermany } };
}
