namespace Rampart.Stats.Hypothesis;

/// <summary>
/// Newcombe's hybrid score interval for a difference of two proportions (Newcombe 1998, method 10), built from each group's
/// Wilson interval: good coverage at small counts, and a non-zero width when a rate is 0 or 1, where the Wald interval
/// collapses to a point.
/// </summary>
public static class NewcombeInterval
{
    /// <summary>
    /// Interval of d = p̂₂ − p̂₁ (variant − control), with [l₁, u₁] and [l₂, u₂] the groups' Wilson intervals:
    /// [d − √((p̂₂ − l₂)² + (u₁ − p̂₁)²), d + √((u₂ − p̂₂)² + (p̂₁ − l₁)²)]; null when either group has no trials.
    /// Matches <c>statsmodels.stats.proportion.confint_proportions_2indep(x₂, n₂, x₁, n₁, method="newcomb", compare="diff", alpha=1-c)</c>
    /// (variant first: statsmodels' difference is its first group minus its second).
    /// </summary>
    /// <param name="control">Control successes and trials (group 1).</param>
    /// <param name="variant">Variant successes and trials (group 2).</param>
    /// <param name="confidence">Confidence level; 0.95 by default.</param>
    public static ConfidenceInterval? Difference(BinomialCount control, BinomialCount variant, double confidence = 0.95)
    {
        Guard.OpenUnit(confidence);
        if (control.Rate is not { } p1 || variant.Rate is not { } p2
            || WilsonInterval.Of(control, confidence) is not { } w1 || WilsonInterval.Of(variant, confidence) is not { } w2)
        {
            return null;
        }

        var diff = p2 - p1;
        var below = Math.Sqrt(Square(p2 - w2.Lower) + Square(w1.Upper - p1));
        var above = Math.Sqrt(Square(w2.Upper - p2) + Square(p1 - w1.Lower));
        return new ConfidenceInterval(diff - below, diff + above);
    }

    private static double Square(double x) => x * x;
}
