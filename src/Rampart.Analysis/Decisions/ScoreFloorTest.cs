using Rampart.Stats.Ratios;
using Rampart.Stats.Sequential;

namespace Rampart.Analysis.Decisions;

/// <summary>
/// The always-valid comparison behind a score floor (docs/rollouts.md): the clustered (delta-method, per unit) difference
/// variant − control and its mSPRT confidence sequence with τ = max_drop, so both the monitor's guardrail and
/// non-inferiority promotion can look at every check without inflating their error. The guardrail rolls back when the
/// upper bound lies below −max_drop; promotion requires the lower bound above −max_drop.
/// </summary>
public static class ScoreFloorTest
{
    /// <summary>The error level of the confidence sequence (two-sided, so each one-sided decision errs with at most α/2).</summary>
    public const double Alpha = 0.05;

    /// <summary>
    /// Scores each variant needs before a floor is tested: below this the per-unit variance is too noisy for the
    /// delta method's normal approximation (docs/rollouts.md, "Quality guardrail").
    /// </summary>
    public const long MinScores = 100;

    /// <summary>Compares per-unit score sums of the control and the variant against a floor <paramref name="maxDrop"/> below the control.</summary>
    /// <param name="control">The control's per-unit sums and counts of the score.</param>
    /// <param name="variant">The variant's per-unit sums and counts of the score.</param>
    /// <param name="maxDrop">How far below the control the variant may be, in the score's units (0–1 for a judge score).</param>
    public static ScoreFloorResult Compare(RatioAccumulator control, RatioAccumulator variant, double maxDrop)
    {
        var nc = (long)Math.Round(control.SumOfCounts);
        var nv = (long)Math.Round(variant.SumOfCounts);
        if (nc < MinScores || nv < MinScores)
        {
            return new ScoreFloorResult(control.Ratio, variant.Ratio, nc, nv, null, null,
                $"{Numbers.Count(Math.Min(nc, nv))} scores in the smaller group; the test needs {Numbers.Count(MinScores)} in each");
        }

        var clustered = DeltaMethodTest.Compare(control, variant);
        if (clustered.Difference is not { } difference || clustered.StandardError is not { } se)
        {
            return new ScoreFloorResult(control.Ratio, variant.Ratio, nc, nv, null, null, clustered.Reason ?? "no variance");
        }

        // τ = max_drop: the mixture is most powerful for differences of about the floor's own size, the drops that matter.
        var interval = maxDrop > 0 ? Msprt.AlwaysValidInterval(difference, se * se, maxDrop, Alpha) : null;
        return new ScoreFloorResult(control.Ratio, variant.Ratio, nc, nv, difference, interval,
            interval is null ? (maxDrop > 0 ? "no variance" : "max_drop is not positive") : null);
    }

    /// <summary>"<paramref name="name"/>'s score … vs the control's …": the common start of the promotion sentences.</summary>
    internal static string Describe(string name, string score, double maxDrop, ScoreFloorResult test) =>
        $"{name}'s {score} {Numbers.Value(test.VariantMean)} vs the control's {Numbers.Value(test.ControlMean)} (floor: max_drop {Numbers.Value(maxDrop)})";

    /// <summary>Why non-inferiority holds or not, with the always-valid lower bound or the reason there is none.</summary>
    internal static string Evidence(double maxDrop, ScoreFloorResult test) => test.Interval is { } i
        ? $"always-valid lower bound of the difference {Numbers.Value(i.Lower)} {(i.Lower > -maxDrop ? ">" : "≤")} {Numbers.Value(-maxDrop)}"
        : $"not tested: {test.Reason}";
}
