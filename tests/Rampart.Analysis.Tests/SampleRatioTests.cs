using Rampart.Analysis.Aggregation;
using Rampart.Core.Events;
using Rampart.Core.Rollouts;
using Rampart.Testing;

namespace Rampart.Analysis.Tests;

public sealed class SampleRatioTests
{
    private const double Tolerance = 1e-9;

    [Fact]
    public void Analyze_AfterARampWithRightSplits_TestsEachStageAndFindsNoMismatch()
    {
        var experiment = Rollout.Advance(SeedExperiment.Running(), SeedExperiment.Epoch.AddDays(7), "test").Experiment;
        var aggregate = Served(experiment.Key, (0, [812, 95, 93]), (1, [590, 205, 205]));

        var sut = ExperimentAnalyzer.Analyze(aggregate, AnalysisOptions.For(experiment)).Srm;

        Assert.False(sut.Mismatch);
        Assert.Equal([1, 2], sut.Stages!.Select(s => s.Stage));
        Assert.Equal([80.0, 10.0, 10.0], sut.Stages![0].Expected.Values);
        Assert.Equal([812L, 95L, 93L], sut.Stages[0].Observed.Values);
        // scipy.stats.chisquare([812, 95, 93], [800, 100, 100]).pvalue
        Assert.Equal(0.6312836455069258, sut.Stages[0].PValue!.Value, Tolerance);
        Assert.Equal([60.0, 20.0, 20.0], sut.Stages[1].Expected.Values);
        // scipy.stats.chisquare([590, 205, 205], [600, 200, 200]).pvalue
        Assert.Equal(0.8119363461506349, sut.Stages[1].PValue!.Value, Tolerance);
        Assert.Equal(0.6312836455069258, sut.PValue!.Value, Tolerance);
        // The whole history against today's 60/20/20 would have flagged the ramp itself:
        // scipy.stats.chisquare([1402, 300, 298], [1200, 400, 400]).pvalue = 3.4640904445580365e-19
        Assert.Equal([1402L, 300L, 298L], sut.ObservedUnits.Values);
    }

    [Fact]
    public void Analyze_MismatchWithinAStage_IsFlaggedOnThatStage()
    {
        var experiment = Rollout.Advance(SeedExperiment.Running(), SeedExperiment.Epoch.AddDays(7), "test").Experiment;
        var aggregate = Served(experiment.Key, (0, [812, 95, 93]), (1, [640, 150, 210]));

        var sut = ExperimentAnalyzer.Analyze(aggregate, AnalysisOptions.For(experiment));

        Assert.True(sut.Srm.Mismatch);
        // scipy.stats.chisquare([640, 150, 210], [600, 200, 200]).pvalue
        Assert.Equal(0.0003963022685999063, sut.Srm.Stages![1].PValue!.Value, Tolerance);
        Assert.Equal(0.0003963022685999063, sut.Srm.PValue!.Value, Tolerance);
        Assert.NotEqual(Rampart.Analysis.Results.RecommendedAction.Promote, sut.Recommendation.Action);
    }

    [Fact]
    public void Analyze_RollbackWithinAStage_LeavesThatStageUntestedWithAReason()
    {
        var advanced = Rollout.Advance(SeedExperiment.Running(), SeedExperiment.Epoch.AddDays(7), "test").Experiment;
        var experiment = Rollout.Rollback(advanced, "variant_b", "errors", SeedExperiment.Epoch.AddDays(8), "test").Experiment;
        var aggregate = Served(experiment.Key, (0, [812, 95, 93]), (1, [590, 205, 205]));

        var sut = ExperimentAnalyzer.Analyze(aggregate, AnalysisOptions.For(experiment));

        // Only variant_a kept its weight through stage 2 (the control took variant_b's share): one variant is no split.
        Assert.Equal(["variant_a"], sut.Srm.Stages![1].Expected.Keys);
        Assert.Null(sut.Srm.Stages[1].PValue);
        Assert.False(sut.Srm.Mismatch);
        Assert.Contains(sut.Recommendation.Details!, d => d.StartsWith("srm: stage 2's p_value is null: fewer than two variants kept their weight", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_EventsWithoutStage_TestTheWholeHistoryAgainstTheCurrentWeights()
    {
        var experiment = Rollout.Advance(SeedExperiment.Running(), SeedExperiment.Epoch.AddDays(7), "test").Experiment;
        var aggregate = Served(experiment.Key, (null, [1402, 300, 298]));

        var sut = ExperimentAnalyzer.Analyze(aggregate, AnalysisOptions.For(experiment)).Srm;

        Assert.Empty(sut.Stages!);
        Assert.True(sut.Mismatch);
        // scipy.stats.chisquare([1402, 300, 298], [1200, 400, 400]).pvalue
        Assert.Equal(3.4640904445580365e-19, sut.PValue!.Value, 1e-25);
    }

    // Distinct units per variant (control, variant_a, variant_b), each exposed once at its stage.
    private static ExperimentAggregate Served(string key, params (int? Stage, int[] Units)[] stages)
    {
        var aggregate = new ExperimentAggregate(key);
        long sequence = 0;
        string[] names = ["control", "variant_a", "variant_b"];
        foreach (var (stage, units) in stages)
        {
            for (var v = 0; v < names.Length; v++)
            {
                for (var u = 0; u < units[v]; u++)
                {
                    var unit = $"{names[v]}-{stage}-{u}";
                    aggregate.Add(new ExperimentEvent
                    {
                        Id = unit, Type = EventType.Exposure, Experiment = key, Variant = names[v], Unit = unit, Stage = stage,
                        Ts = SeedExperiment.Epoch.AddDays(7 * (stage ?? 0)),
                    }, ++sequence);
                }
            }
        }

        return aggregate;
    }
}
