using Rampart.Analysis.Comparisons;
using Rampart.Analysis.Decisions;
using Rampart.Core.Rollouts;
using Rampart.Stats.Hypothesis;
using Rampart.Stats.Ratios;
using Rampart.Stats.Sequential;

namespace Rampart.Analysis.Monitoring;

/// <summary>
/// The promotion criteria (docs/rollouts.md) as the monitor checks them every minute: the primary score's significance comes from
/// the always-valid mSPRT p-value of the clustered (delta-method) difference, Holm-adjusted across variants, so looking
/// every minute for weeks does not inflate false promotions; the other criteria are those of docs/rollouts.md (units, error rate not
/// significantly above 1.1 × the control's, p95 below 1.2 × the control's, each <c>promotion.min_score</c> established within its
/// max_drop by <see cref="ScoreFloorTest"/>). The sample-ratio criterion is the caller's.
/// </summary>
public static class SequentialPromotion
{
    /// <summary>τ of the mSPRT on a binary score (a 2-point difference).</summary>
    public const double BinaryTau = SequentialTuning.BinaryScore;

    /// <summary>τ of the mSPRT on a continuous score, as a share of the control's mean.</summary>
    public const double RelativeTau = SequentialTuning.RelativeToControlMean;

    /// <summary>The variants meeting every criterion, best primary score first; what the others miss goes to <paramref name="notes"/>.</summary>
    public static List<PromotionCandidate> Candidates(Experiment experiment, RolloutSignals signals, List<string>? notes)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(signals);
        var definition = experiment.Definition;
        var score = definition.PrimaryScore;
        var control = signals.Find(definition.Control);
        var eligible = definition.Variants.Select(v => v.Name).Where(n => n != definition.Control && !experiment.IsRolledBack(n)).ToList();
        if (notes is null && !eligible.Any(n => MayPass(control, signals.Find(n), experiment, signals.HasExposures)))
        {
            // Nothing to explain and no variant meets the cheap criteria: skip the tests (the monitor looks every minute).
            return [];
        }

        var looks = eligible.Select(n => Observe(control, signals.Find(n), score)).ToList();
        var holm = HolmAdjustment.Adjust([.. looks.Select(l => l.PValue)]);
        var candidates = new List<PromotionCandidate>();
        for (var i = 0; i < eligible.Count; i++)
        {
            if (Check(eligible[i], control, signals.Find(eligible[i]), looks[i], holm[i], experiment, signals.HasExposures, notes) is { } candidate)
            {
                candidates.Add(candidate);
            }
        }

        return [.. candidates.OrderByDescending(c => c.Score)];
    }

    private static PromotionCandidate? Check(
        string name, VariantSignals? control, VariantSignals? variant, Look look, double? holm, Experiment experiment, bool fromExposures, List<string>? notes)
    {
        var options = experiment.Definition.Promotion;
        var score = experiment.Definition.PrimaryScore;
        var failed = false;
        var unmet = notes is null ? null : new List<string>();
        if (look.ControlMean is not { } controlMean || look.VariantMean is not { } mean)
        {
            notes?.Add($"{name}: no {score} feedback yet in {(look.ControlMean is null ? "the control" : name)}.");
            return null;
        }

        if (mean <= controlMean)
        {
            failed = true;
            unmet?.Add($"its {score} {Numbers.Value(mean)} is not above the control's {Numbers.Value(controlMean)}");
        }

        if (!(holm < options.Alpha))
        {
            failed = true;
            unmet?.Add($"its always-valid p-value {Numbers.P(holm)} (Holm) on {score} is not below {Numbers.Value(options.Alpha)}{(look.Reason is null ? "" : $" ({look.Reason})")}");
        }

        var units = variant?.Units(fromExposures) ?? 0;
        if (units < options.MinUnits)
        {
            failed = true;
            unmet?.Add($"it has {Numbers.Count(units)} units of the {Numbers.Count(options.MinUnits)} needed");
        }

        var errors = new BinomialCount(variant?.Errors ?? 0, variant?.Requests ?? 0);
        var controlErrors = new BinomialCount(control?.Errors ?? 0, control?.Requests ?? 0);
        var errorTest = ScaledDifferenceTest.Compare(controlErrors, errors, options.MaxErrorRateRatio);
        var errorsPass = errorTest.PValue is { } ep ? ep >= options.Alpha : errorTest.Excess is { } excess && excess <= 0;
        if (!errorsPass)
        {
            failed = true;
            unmet?.Add($"its error rate {Numbers.Percent(errors.Rate)} is significantly above {Numbers.Plain(options.MaxErrorRateRatio)} × the control's {Numbers.Percent(controlErrors.Rate)}");
        }

        var p95 = variant?.P95;
        var controlP95 = control?.P95;
        if (p95 is null || controlP95 is null || !(p95 < options.MaxP95LatencyRatio * controlP95))
        {
            failed = true;
            unmet?.Add($"its p95 {Numbers.Ms(p95)} is not below {Numbers.Plain(options.MaxP95LatencyRatio)} × the control's {Numbers.Ms(controlP95)}");
        }

        foreach (var (floorScore, floor) in options.MinScore)
        {
            var test = ScoreFloorTest.Compare(
                control?.Score(floorScore)?.PerUnit() ?? default, variant?.Score(floorScore)?.PerUnit() ?? default, floor.MaxDrop);
            if (!test.EstablishedWithin(floor.MaxDrop))
            {
                failed = true;
                unmet?.Add($"its {floorScore} {Numbers.Value(test.VariantMean)} is not established within max_drop {Numbers.Value(floor.MaxDrop)} " +
                    $"of the control's {Numbers.Value(test.ControlMean)} ({ScoreFloorTest.Evidence(floor.MaxDrop, test)})");
            }
        }

        if (failed)
        {
            notes?.Add($"{name} is not promotable yet: {string.Join("; ", unmet ?? [])}.");
            return null;
        }

        var reason = $"{name}'s {score} {Numbers.Value(mean)} vs the control's {Numbers.Value(controlMean)} (always-valid p {Numbers.P(holm)}, Holm), " +
            $"{Numbers.Count(units)} units, error rate {Numbers.Percent(errors.Rate)} vs {Numbers.Percent(controlErrors.Rate)}, " +
            $"p95 {Numbers.Ms(p95)} vs {Numbers.Ms(controlP95)}";
        var metrics = new MetricsBuilder()
            .Add("score_mean", mean).Add("control_score_mean", controlMean).Add("p_value_sequential_holm", holm)
            .Add("difference", look.Difference).Add("units", units).Add("requests", errors.Trials)
            .Add("error_rate", errors.Rate).Add("control_error_rate", controlErrors.Rate)
            .Add("p95_ms", p95).Add("control_p95_ms", controlP95)
            .Build();
        return new PromotionCandidate(name, mean, reason, metrics);
    }

    private static bool MayPass(VariantSignals? control, VariantSignals? variant, Experiment experiment, bool fromExposures)
    {
        var options = experiment.Definition.Promotion;
        var score = experiment.Definition.PrimaryScore;
        return control is not null && variant is not null
            && variant.Score(score)?.Mean is { } mean && control.Score(score)?.Mean is { } controlMean && mean > controlMean
            && variant.Units(fromExposures) >= options.MinUnits
            && variant.P95 is { } p95 && control.P95 is { } controlP95 && p95 < options.MaxP95LatencyRatio * controlP95;
    }

    private static Look Observe(VariantSignals? control, VariantSignals? variant, string score)
    {
        var c = control?.Score(score);
        var v = variant?.Score(score);
        if (c is null || v is null || c.Mean is not { } controlMean || v.Mean is not { } mean)
        {
            return new Look(c?.Mean, v?.Mean, null, null, "no feedback");
        }

        var tau = c.IsBinary && v.IsBinary ? BinaryTau : RelativeTau * Math.Abs(controlMean);
        if (tau == 0)
        {
            return new Look(controlMean, mean, mean - controlMean, null, "the control's mean is 0");
        }

        var clustered = DeltaMethodTest.Compare(c.PerUnit(), v.PerUnit());
        if (clustered.Difference is not { } difference || clustered.StandardError is not { } se)
        {
            return new Look(controlMean, mean, mean - controlMean, null, clustered.Reason ?? "no variance");
        }

        var single = Msprt.SingleLook(difference, se * se, tau);
        return new Look(controlMean, mean, difference, single.PValue, single.Reason);
    }

    private sealed record Look(double? ControlMean, double? VariantMean, double? Difference, double? PValue, string? Reason);
}
