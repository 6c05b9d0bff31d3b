namespace Rampart.Stats.Hypothesis;

/// <summary>One-sided Wald test that a variant's rate exceeds a multiple of the control's, e.g. "error rate above 1.1 × control's".</summary>
public static class ScaledDifferenceTest
{
    /// <summary>
    /// Tests H₁: p₂ − k·p₁ &gt; 0 with the unpooled Wald statistic
    /// z = (p̂₂ − k·p̂₁) / √(p̂₂(1−p̂₂)/n₂ + k²·p̂₁(1−p̂₁)/n₁) and one-sided p = 1 − Φ(z).
    /// </summary>
    /// <param name="control">Control successes (e.g. errors) and trials.</param>
    /// <param name="variant">Variant successes and trials.</param>
    /// <param name="multiplier">k, e.g. 1.1.</param>
    public static ScaledDifferenceResult Compare(BinomialCount control, BinomialCount variant, double multiplier)
    {
        Guard.Positive(multiplier);
        if (control.Rate is not { } p1)
        {
            return new ScaledDifferenceResult(null, null, null, null, "no trials in the control");
        }

        if (variant.Rate is not { } p2)
        {
            return new ScaledDifferenceResult(null, null, null, null, "no trials in the variant");
        }

        var excess = p2 - (multiplier * p1);
        var variance = (p2 * (1 - p2) / variant.Trials) + (multiplier * multiplier * p1 * (1 - p1) / control.Trials);
        if (!(variance > 0))
        {
            return new ScaledDifferenceResult(excess, null, null, null, "both rates are 0 or 1, so the Wald standard error is zero");
        }

        var standardError = Math.Sqrt(variance);
        var z = excess / standardError;
        return new ScaledDifferenceResult(excess, standardError, z, Tails.UpperNormal(z), null);
    }
}
