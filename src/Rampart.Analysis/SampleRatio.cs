using Rampart.Analysis.Aggregation;
using Rampart.Analysis.Results;
using Rampart.Stats.Hypothesis;

namespace Rampart.Analysis;

/// <summary>
/// The sample-ratio mismatch check, flagged when p &lt; 0.001: per stage when the events carry their stage and the stages are
/// known (the units each variant served at a stage against that stage's weights, comparing the variants the monitor compares),
/// else the whole history's units against the expected weights.
/// </summary>
internal static class SampleRatio
{
    public static SrmResult Check(
        IReadOnlyList<VariantSnapshot> variants, IReadOnlyList<double> weights, ExperimentAggregate aggregate, IReadOnlyList<StagePlan>? plans, List<string> missing)
    {
        var whole = WholeHistory(variants, weights, plans is { Count: > 0 } && aggregate.HasStages ? [] : missing);
        if (plans is not { Count: > 0 } || !aggregate.HasStages)
        {
            return whole with { Stages = [] };
        }

        var stages = new List<SrmStage>();
        foreach (var plan in plans.OrderBy(p => p.Stage))
        {
            if (Stage(plan, aggregate, missing) is { } stage)
            {
                stages.Add(stage);
            }
        }

        var smallest = stages.Select(s => s.PValue).Where(p => p is not null).Min();
        return whole with { PValue = smallest, Mismatch = smallest < SrmResult.Threshold, Stages = stages };
    }

    private static SrmStage? Stage(StagePlan plan, ExperimentAggregate aggregate, List<string> missing)
    {
        var observed = plan.Weights.Keys.ToDictionary(
            n => n, n => aggregate.UnitsAtStage(plan.Stage, n, aggregate.HasExposures), StringComparer.Ordinal);
        if (observed.Values.Sum() == 0)
        {
            return null;
        }

        if (plan.Weights.Count < 2)
        {
            missing.Add($"srm: stage {plan.Stage + 1}'s p_value is null: fewer than two variants kept their weight through it (a rollback or weights set by hand changed the others), so its split cannot be tested.");
            return new SrmStage(plan.Stage + 1, plan.Weights, observed, null);
        }

        var test = ChiSquareTest.GoodnessOfFit([.. observed.Values], [.. plan.Weights.Values]);
        if (test.PValue is null)
        {
            missing.Add($"srm: stage {plan.Stage + 1}'s p_value is null: {test.Reason}.");
        }

        return new SrmStage(plan.Stage + 1, plan.Weights, observed, test.PValue);
    }

    private static SrmResult WholeHistory(IReadOnlyList<VariantSnapshot> variants, IReadOnlyList<double> weights, List<string> missing)
    {
        var expected = new Dictionary<string, double>(StringComparer.Ordinal);
        var observed = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < variants.Count; i++)
        {
            expected[variants[i].Name] = weights[i];
            observed[variants[i].Name] = variants[i].Units;
        }

        var unexpected = variants.Where((v, i) => weights[i] == 0 && v.Units > 0).Select(v => v.Name).ToList();
        if (unexpected.Count > 0)
        {
            missing.Add($"srm.p_value is null: {string.Join(", ", unexpected)} {(unexpected.Count > 1 ? "have" : "has")} units but an expected weight of 0 " +
                "(after a rollback, units from earlier stages remain), so the split cannot be tested against these weights.");
            return new SrmResult(null, false, expected, observed);
        }

        var test = ChiSquareTest.GoodnessOfFit([.. variants.Select(v => v.Units)], [.. weights]);
        if (test.PValue is not { } p)
        {
            missing.Add($"srm.p_value is null: {test.Reason}.");
            return new SrmResult(null, false, expected, observed);
        }

        return new SrmResult(p, p < SrmResult.Threshold, expected, observed);
    }
}
