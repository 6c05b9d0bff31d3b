using Rampart.Analysis.Decisions;
using Rampart.Analysis.Results;
using Rampart.Core.Rollouts;
using Rampart.Stats.Sequential;

namespace Rampart.Analysis.Monitoring;

/// <summary>
/// The sample-ratio check of the stage being served: the distinct units each variant served at this stage (events carry
/// their <c>stage</c>) against the stage's weights, by the always-valid Dirichlet-multinomial test
/// (<see cref="SequentialSampleRatio"/>), flagged when its p-value is below 0.001, so checking every minute does not
/// raise false holds. Testing the whole history against the current weights would flag a
/// mismatch right after every ramp. A rollback (or weights set by hand) within the stage changes some weights midway: only
/// the variants whose weight stayed the same through the stage are compared, with their weights renormalised.
/// </summary>
public static class StageSampleRatio
{

    /// <summary>The mismatch action for the current stage of <paramref name="experiment"/>, or null when the split fits (or cannot be tested yet).</summary>
    public static MonitorAction? Mismatch(Experiment experiment, RolloutSignals signals, List<string>? notes)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(signals);
        var stage = experiment.Stage;
        var variants = experiment.Definition.Variants;
        var current = experiment.Current.Table.Counts;
        var steady = SteadyVariants(experiment, stage);
        if (steady.Count < 2)
        {
            notes?.Add($"The split of stage {stage + 1} cannot be checked: fewer than two variants kept their weight through it.");
            return null;
        }

        var observed = new long[steady.Count];
        var weights = new double[steady.Count];
        long total = 0;
        double weightSum = 0;
        for (var k = 0; k < steady.Count; k++)
        {
            observed[k] = signals.UnitsAtStage(stage, variants[steady[k]].Name);
            weights[k] = current[steady[k]];
            total += observed[k];
            weightSum += weights[k];
        }

        if (total == 0)
        {
            return null;
        }

        var p = SequentialSampleRatio.PValue(observed, weights);
        if (p >= SrmResult.Threshold)
        {
            return null;
        }

        var metrics = new MetricsBuilder().Add("srm_p_value_sequential", p).Add("stage", stage + 1);
        var parts = new List<string>();
        for (var k = 0; k < steady.Count; k++)
        {
            var name = variants[steady[k]].Name;
            metrics.Add($"units_{name}", observed[k]).Add($"expected_share_{name}", weights[k] / weightSum);
            parts.Add($"{name} {Numbers.Count(observed[k])} ({Numbers.Percent((double)observed[k] / total)} vs {Numbers.Percent(weights[k] / weightSum)} expected)");
        }

        var reason = $"sample-ratio mismatch in stage {stage + 1} (always-valid p {Numbers.P(p)} < {SrmResult.Threshold}): units {string.Join(", ", parts)}; " +
            "promotion and advance are held until the split is explained.";
        return new MonitorAction(MonitorActionKind.SrmHold, null, reason, metrics.Build());
    }

    /// <summary>
    /// The variants (indexes in listed order) that served through all of <paramref name="stage"/> with one, non-zero weight:
    /// those whose split at that stage can be tested against its weights. Empty when the stage never served.
    /// </summary>
    public static List<int> SteadyVariants(Experiment experiment, int stage)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        var allocations = experiment.Allocations.Where(a => a.Stage == stage).ToList();
        if (allocations.Count == 0)
        {
            return [];
        }

        var last = allocations[^1].Table.Counts;
        var steady = new List<int>(last.Length);
        for (var i = 0; i < last.Length; i++)
        {
            if (last[i] > 0 && allocations.All(a => a.Table.Counts[i] == last[i]))
            {
                steady.Add(i);
            }
        }

        return steady;
    }
}
