using Rampart.Analysis.Decisions;
using Rampart.Core.Experiments;

namespace Rampart.Analysis.Monitoring;

/// <summary>
/// The quality guardrail (<see cref="GuardrailOptions.MinScore"/>, docs/rollouts.md): roll a variant back when a listed score
/// (typically a judge's) is established below the control's by more than its <c>max_drop</c>, by the always-valid
/// <see cref="ScoreFloorTest"/> on the clustered difference the monitor keeps.
/// </summary>
public static class ScoreGuardrail
{
    /// <summary>The rollback due for <paramref name="variant"/> on its first breached score floor, or null.</summary>
    public static MonitorAction? Breach(VariantSignals variant, VariantSignals? control, GuardrailOptions options)
    {
        ArgumentNullException.ThrowIfNull(variant);
        ArgumentNullException.ThrowIfNull(options);
        if (control is null)
        {
            return null;
        }

        foreach (var (score, floor) in options.MinScore)
        {
            if (variant.Score(score) is not { } v || control.Score(score) is not { } c)
            {
                continue;
            }

            var test = ScoreFloorTest.Compare(c.PerUnit(), v.PerUnit(), floor.MaxDrop);
            if (test.EstablishedBelow(floor.MaxDrop))
            {
                return Action(variant.Name, score, floor, test);
            }
        }

        return null;
    }

    /// <summary>The rollback of <paramref name="name"/> for a breached floor of <paramref name="score"/>.</summary>
    internal static MonitorAction Action(string name, string score, ScoreFloor floor, ScoreFloorResult test) =>
        new(MonitorActionKind.Rollback, name, Reason(name, score, floor, test), new MetricsBuilder()
            .Add("score_mean", test.VariantMean).Add("control_score_mean", test.ControlMean)
            .Add("scores", test.VariantCount).Add("control_scores", test.ControlCount)
            .Add("difference", test.Difference).Add("upper_bound", test.Interval?.Upper).Add("lower_bound", test.Interval?.Lower)
            .Add("max_drop", floor.MaxDrop).Add("alpha", ScoreFloorTest.Alpha)
            .Build());

    /// <summary>The rollback reason of a breached floor (the audit entry, the alert): "guardrail: " and <see cref="Breached"/>.</summary>
    internal static string Reason(string name, string score, ScoreFloor floor, ScoreFloorResult test) => "guardrail: " + Breached(name, score, floor, test);

    /// <summary>The sentence that explains a breached floor, as the recommendation states it.</summary>
    internal static string Breached(string name, string score, ScoreFloor floor, ScoreFloorResult test) =>
        $"{name}'s {score} {Numbers.Value(test.VariantMean)} is established below the control's {Numbers.Value(test.ControlMean)} " +
        $"by more than max_drop {Numbers.Value(floor.MaxDrop)} (always-valid upper bound {Numbers.Value(test.Interval?.Upper)} < {Numbers.Value(-floor.MaxDrop)}, " +
        $"{Numbers.Count(test.VariantCount)} vs {Numbers.Count(test.ControlCount)} scores, alpha {Numbers.Value(ScoreFloorTest.Alpha)}).";
}
