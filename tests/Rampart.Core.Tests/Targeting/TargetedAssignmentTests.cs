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

    private static Experiment Targeted(Experiment experiment) =>
        experiment with { Definition = experiment.Definition with { Targeting = ProOutsideGermany } };
}
