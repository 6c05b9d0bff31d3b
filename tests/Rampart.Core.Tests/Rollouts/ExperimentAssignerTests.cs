using MathNet.Numerics.Distributions;
using Rampart.Core.Rollouts;
using Rampart.Testing;

namespace Rampart.Core.Tests.Rollouts;

public sealed class ExperimentAssignerTests
{
    private const int Units = 100_000;

    [Fact]
    public void Assign_100kUnitsAt80_10_10_ChiSquareDoesNotRejectUniformity()
    {
        var sut = new ExperimentAssigner(SeedExperiment.Running());
        var observed = new double[3];
        for (var i = 0; i < Units; i++)
        {
            observed[sut.Experiment.Definition.IndexOf(sut.Assign($"user-{i}").Variant.Name)]++;
        }

        double[] expected = [0.8 * Units, 0.1 * Units, 0.1 * Units];
        var chiSquare = observed.Zip(expected, (o, e) => (o - e) * (o - e) / e).Sum();
        var p = 1 - ChiSquared.CDF(2, chiSquare);

        Assert.True(p >= 0.001, $"chi-square {chiSquare:F2}, p = {p:G4}, observed {string.Join("/", observed)}");
    }

    [Fact]
    public void Assign_BucketsUniform_ChiSquareOver100BinsDoesNotReject()
    {
        var sut = new ExperimentAssigner(SeedExperiment.Running());
        var bins = new double[100];
        for (var i = 0; i < Units; i++)
        {
            bins[sut.Assign($"u{i}").Bucket / 100]++;
        }

        var chiSquare = bins.Sum(o => (o - 1000.0) * (o - 1000.0) / 1000.0);

        Assert.True(1 - ChiSquared.CDF(99, chiSquare) >= 0.001, $"chi-square {chiSquare:F2}");
    }

    [Fact]
    public void Assign_SameUnit_SameVariantEveryTimeAndAcrossSnapshots()
    {
        var sut = new ExperimentAssigner(SeedExperiment.Running());
        var again = new ExperimentAssigner(SeedExperiment.Running());

        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(sut.Assign($"user-{i}"), again.Assign($"user-{i}"));
        }
    }

    [Fact]
    public void Assign_AfterRollback_OnlyTheRolledBackVariantsUnitsMoveAndAllToTheControl()
    {
        var before = SeedExperiment.Running();
        before = Rollout.Advance(before, SeedExperiment.Epoch, "test").Experiment;
        var after = Rollout.Rollback(before, "variant_a", "error rate 9%", SeedExperiment.Epoch, "test").Experiment;
        var sutBefore = new ExperimentAssigner(before);
        var sutAfter = new ExperimentAssigner(after);
        var moved = 0;

        for (var i = 0; i < Units; i++)
        {
            var was = sutBefore.Assign($"user-{i}");
            var now = sutAfter.Assign($"user-{i}");
            if (was.Variant.Name == "variant_a")
            {
                Assert.Equal("control", now.Variant.Name);
                Assert.Equal(AssignmentReason.RolledBack, now.Reason);
                moved++;
            }
            else
            {
                Assert.Equal(was.Variant.Name, now.Variant.Name);
                Assert.Equal(AssignmentReason.Allocated, now.Reason);
            }
        }

        Assert.InRange(moved, 19_000, 21_000);
    }

    [Fact]
    public void Assign_TwoExperiments_AssignmentsAreIndependent()
    {
        var first = new ExperimentAssigner(SeedExperiment.Running("checkout-copy"));
        var second = new ExperimentAssigner(SeedExperiment.Running("prompt-opt-v2"));
        var table = new double[3, 3];
        for (var i = 0; i < Units; i++)
        {
            var unit = $"user-{i}";
            table[first.Experiment.Definition.IndexOf(first.Assign(unit).Variant.Name), second.Experiment.Definition.IndexOf(second.Assign(unit).Variant.Name)]++;
        }

        var chiSquare = 0.0;
        for (var r = 0; r < 3; r++)
        {
            for (var c = 0; c < 3; c++)
            {
                var expected = Enumerable.Range(0, 3).Sum(k => table[r, k]) * Enumerable.Range(0, 3).Sum(k => table[k, c]) / Units;
                chiSquare += (table[r, c] - expected) * (table[r, c] - expected) / expected;
            }
        }

        Assert.True(1 - ChiSquared.CDF(4, chiSquare) >= 0.001, $"chi-square {chiSquare:F2}");
    }

    [Fact]
    public void Assign_Draft_ControlNotStarted()
    {
        var sut = new ExperimentAssigner(SeedExperiment.Draft());

        var assignment = sut.Assign("user-1");

        Assert.Equal(("control", AssignmentReason.NotStarted), (assignment.Variant.Name, assignment.Reason));
    }

    [Fact]
    public void Assign_Paused_ControlPaused()
    {
        var sut = new ExperimentAssigner(Rollout.Pause(SeedExperiment.Running(), SeedExperiment.Epoch, "test").Experiment);

        var assignment = sut.Assign("user-1");

        Assert.Equal(("control", AssignmentReason.Paused), (assignment.Variant.Name, assignment.Reason));
    }

    [Fact]
    public void Assign_Promoted_WinnerForEveryone()
    {
        var sut = new ExperimentAssigner(Rollout.Promote(SeedExperiment.Running(), "variant_b", SeedExperiment.Epoch, "test").Experiment);

        for (var i = 0; i < 1000; i++)
        {
            var assignment = sut.Assign($"user-{i}");
            Assert.Equal(("variant_b", AssignmentReason.Promoted), (assignment.Variant.Name, assignment.Reason));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void Assign_EmptyUnit_ControlInvalidUnitWithoutThrowing(string? unit)
    {
        var sut = new ExperimentAssigner(SeedExperiment.Running());

        var assignment = sut.Assign(unit);

        Assert.Equal(("control", AssignmentReason.InvalidUnit, -1), (assignment.Variant.Name, assignment.Reason, assignment.Bucket));
    }
}
