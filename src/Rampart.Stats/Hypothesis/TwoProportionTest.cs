namespace Rampart.Stats.Hypothesis;

/// <summary>
/// Pooled two-proportion z-test; its p-value equals Pearson's chi-square on the 2×2 table without Yates' correction
/// (<c>scipy.stats.chi2_contingency(t, correction=False)</c>). The interval is Newcombe's hybrid score interval, not the
/// Wald interval, which has zero width when both rates are 0 or 1 and poor coverage near them.
/// </summary>
public static class TwoProportionTest
{
    /// <summary>
    /// Compares x₂/n₂ (variant) with x₁/n₁ (control): pooled p̂ = (x₁+x₂)/(n₁+n₂), z = (p̂₂ − p̂₁)/√(p̂(1−p̂)(1/n₁ + 1/n₂)),
    /// two-sided p = 2·(1 − Φ(|z|)); the interval of p̂₂ − p̂₁ is <see cref="NewcombeInterval.Difference"/>. When neither group has
    /// a success (or neither a failure) z and p are null, and the interval is still given.
    /// </summary>
    /// <param name="control">Control successes and trials.</param>
    /// <param name="variant">Variant successes and trials.</param>
    /// <param name="confidence">Confidence level of the interval; 0.95 by default.</param>
    public static TwoProportionResult Compare(BinomialCount control, BinomialCount variant, double confidence = 0.95)
    {
        Guard.OpenUnit(confidence);
        if (control.Rate is not { } p1)
        {
            return new TwoProportionResult(null, variant.Rate, null, null, null, null, "no trials in the control");
        }

        if (variant.Rate is not { } p2)
        {
            return new TwoProportionResult(p1, null, null, null, null, null, "no trials in the variant");
        }

        double n1 = control.Trials, n2 = variant.Trials;
        var diff = p2 - p1;
        var interval = NewcombeInterval.Difference(control, variant, confidence);
        var pooled = (control.Successes + variant.Successes) / (n1 + n2);
        if (pooled is 0 or 1)
        {
            var reason = pooled == 0 ? "no successes in either group" : "every trial succeeded in both groups";
            return new TwoProportionResult(p1, p2, diff, null, null, interval, reason);
        }

        var z = diff / Math.Sqrt(pooled * (1 - pooled) * ((1 / n1) + (1 / n2)));
        return new TwoProportionResult(p1, p2, diff, z, Tails.TwoSidedNormal(z), interval, null);
    }
}
