using Rampart.Analysis.Decisions;
using Rampart.Analysis.Results;
using Rampart.Core.Rollouts;
using Rampart.Stats.Hypothesis;

namespace Rampart.Analysis.Monitoring;

/// <summary>
/// The sample-ratio check of the stage being served: the distinct units each variant served at this stage (events carry
/// their <c>stage</c>) against the stage's weights. Testing the whole history against the current weights would flag a
/// mismatch right after every ramp. A rollback (or weights set by hand) within the stage changes some weights midway: only
/// the variants whose weight stayed the same through the stage are compared, with their weights renormalised.
/// </summary>
public static class StageSampleRatio
{
    /// <summary>Each variant needs at least this many expected units before the chi-square approximation is trusted.</summary>
    public const double MinExpectedUnits = 5;

    /// <summary>The mismatch action for the current stage of <paramref name="experiment"/>, or null when the split fits (or cannot be tested yet).</summary>
    public static MonitorAction? Mismatch(Experiment experiment, RolloutSignals signals, List<string> notes)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(signals);
        ArgumentNullException.ThrowIfNull(notes);
        var stage = experiment.Stage;
        var names = experiment.Definition.VariantNames;
        var tables = experiment.Allocations.Where(a => a.Stage == stage).Select(a => a.Table.Counts).ToList();
        var steady = Enumerable.Range(0, names.Length)
            .Where(i => tables.All(w => w[i] == tables[^1][i]) && tables[^1][i] > 0)
            .ToList();
        if (steady.Count < 2)
        {
            notes.Add($"The split of stage {stage + 1} cannot be checked: fewer than two variants kept their weight through it.");
            return null;
        }

        var observed = steady.Select(i => signals.UnitsAtStage(stage, names[i])).ToArray();
        var weights = steady.Select(i => (double)tables[^1][i]).ToArray();
        var total = observed.Sum();
        var weightSum = weights.Sum();
        if (weights.Any(w => w / weightSum * total < MinExpectedUnits))
        {
            return null;
        }

        var test = ChiSquareTest.GoodnessOfFit(observed, weights);
        if (test.PValue is not { } p || p >= SrmResult.Threshold)
        {
            return null;
        }

        var metrics = new MetricsBuilder().Add("srm_p_value", p).Add("stage", stage + 1);
        var parts = new List<string>();
        for (var k = 0; k < steady.Count; k++)
        {
            var name = names[steady[k]];
            metrics.Add($"units_{name}", observed[k]).Add($"expected_share_{name}", weights[k] / weightSum);
            parts.Add($"{name} {Numbers.Count(observed[k])} ({Numbers.Percent((double)observed[k] / total)} vs {Numbers.Percent(weights[k] / weightSum)} expected)");
        }

        var reason = $"sample-ratio mismatch in stage {stage + 1} (p {Numbers.P(p)} < {SrmResult.Threshold}): units {string.Join(", ", parts)}; " +
            "promotion and advance are held until the split is explained.";
        return new MonitorAction(MonitorActionKind.SrmHold, null, reason, metrics.Build());
    }
}
