using Rampart.Stats.Hypothesis;

namespace Rampart.Stats.Ratios;

/// <summary>
/// Large-sample z-test of two ratio metrics over units by the delta method (Deng, Knoblich, Lu 2018), the clustered
/// p-value when units send many requests. With one request per unit it reduces to the ordinary z-test of two means.
/// </summary>
public static class DeltaMethodTest
{
    /// <summary>Compares two groups' aggregates; see <see cref="Compare(RatioEstimate, RatioEstimate, double)"/>.</summary>
    /// <param name="control">Control units.</param>
    /// <param name="variant">Variant units.</param>
    /// <param name="confidence">Confidence level of the interval; 0.95 by default.</param>
    public static DeltaMethodResult Compare(RatioAccumulator control, RatioAccumulator variant, double confidence = 0.95) =>
        Compare(control.ToEstimate(), variant.ToEstimate(), confidence);

    /// <summary>z = (R₂ − R₁)/√(Var(R₁) + Var(R₂)), two-sided p from Φ, CI (R₂ − R₁) ± z_crit·SE.</summary>
    /// <param name="control">Control ratio and variance.</param>
    /// <param name="variant">Variant ratio and variance.</param>
    /// <param name="confidence">Confidence level of the interval; 0.95 by default.</param>
    public static DeltaMethodResult Compare(RatioEstimate control, RatioEstimate variant, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(control);
        ArgumentNullException.ThrowIfNull(variant);
        Guard.OpenUnit(confidence);

        double? difference = control.Ratio is { } r1 && variant.Ratio is { } r2 ? r2 - r1 : null;
        if (control.Variance is not { } v1)
        {
            return Missing(control, variant, difference, $"control: {control.Reason ?? "no variance"}");
        }

        if (variant.Variance is not { } v2)
        {
            return Missing(control, variant, difference, $"variant: {variant.Reason ?? "no variance"}");
        }

        Guard.FiniteNonNegative(v1, "control.Variance");
        Guard.FiniteNonNegative(v2, "variant.Variance");
        var diff = difference!.Value;
        if (!double.IsFinite(diff))
        {
            return Missing(control, variant, null, "the difference overflows");
        }

        if (!(v1 + v2 > 0))
        {
            return Missing(control, variant, diff, "zero variance in both groups");
        }

        var standardError = Math.Sqrt(v1 + v2);
        var z = diff / standardError;
        if (!double.IsFinite(z))
        {
            return Missing(control, variant, diff, "the z statistic overflows");
        }

        var interval = ConfidenceInterval.Around(diff, Tails.NormalCritical(confidence) * standardError);
        return new DeltaMethodResult(control.Ratio, variant.Ratio, diff, standardError, z, Tails.TwoSidedNormal(z), interval, null);
    }

    private static DeltaMethodResult Missing(RatioEstimate control, RatioEstimate variant, double? difference, string reason) =>
        new(control.Ratio, variant.Ratio, difference, null, null, null, null, reason);
}
