namespace Rampart.Stats;

/// <summary>
/// How well two raters agree on the same items (a judge model against human scores): Pearson's correlation of the raw values,
/// Cohen's κ and the observed agreement of binary verdicts (docs/statistics.md, "Judge calibration").
/// </summary>
public static class Agreement
{
    /// <summary>
    /// Pearson's r = Σ(xᵢ − x̄)(yᵢ − ȳ) / √(Σ(xᵢ − x̄)²·Σ(yᵢ − ȳ)²) (<c>scipy.stats.pearsonr</c>); null with fewer than 2 pairs or when
    /// either variance is 0. Two passes over centred values, so large offsets lose no precision.
    /// </summary>
    /// <param name="x">The first rater's values.</param>
    /// <param name="y">The second rater's values, pairwise with <paramref name="x"/>.</param>
    public static double? Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        ThrowIfUnpaired(x.Length, y.Length);
        if (x.Length < 2)
        {
            return null;
        }

        double meanX = 0, meanY = 0;
        for (var i = 0; i < x.Length; i++)
        {
            Guard.Finite(x[i]);
            Guard.Finite(y[i]);
            meanX += x[i];
            meanY += y[i];
        }

        meanX /= x.Length;
        meanY /= y.Length;
        double sxx = 0, syy = 0, sxy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var dx = x[i] - meanX;
            var dy = y[i] - meanY;
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
        }

        if (sxx <= 0 || syy <= 0)
        {
            return null;
        }

        return Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1, 1);
    }

    /// <summary>
    /// Cohen's κ of two binary raters, (pₒ − pₑ)/(1 − pₑ) with pₒ the share of items they agree on and pₑ = p₁q₁ + (1 − p₁)(1 − q₁)
    /// the agreement expected by chance from each rater's share of positives (<c>sklearn.metrics.cohen_kappa_score</c>); null
    /// without items or when pₑ = 1 (both raters gave one verdict to every item).
    /// </summary>
    /// <param name="first">The first rater's verdicts.</param>
    /// <param name="second">The second rater's verdicts, pairwise with <paramref name="first"/>.</param>
    public static double? CohenKappa(ReadOnlySpan<bool> first, ReadOnlySpan<bool> second)
    {
        ThrowIfUnpaired(first.Length, second.Length);
        if (first.Length == 0)
        {
            return null;
        }

        long agree = 0, firstPositive = 0, secondPositive = 0;
        for (var i = 0; i < first.Length; i++)
        {
            agree += first[i] == second[i] ? 1 : 0;
            firstPositive += first[i] ? 1 : 0;
            secondPositive += second[i] ? 1 : 0;
        }

        double n = first.Length;
        var observed = agree / n;
        var (p, q) = (firstPositive / n, secondPositive / n);
        var expected = (p * q) + ((1 - p) * (1 - q));
        return expected >= 1 ? null : (observed - expected) / (1 - expected);
    }

    /// <summary>The share of items two binary raters agree on; null without items.</summary>
    /// <param name="first">The first rater's verdicts.</param>
    /// <param name="second">The second rater's verdicts, pairwise with <paramref name="first"/>.</param>
    public static double? ObservedAgreement(ReadOnlySpan<bool> first, ReadOnlySpan<bool> second)
    {
        ThrowIfUnpaired(first.Length, second.Length);
        if (first.Length == 0)
        {
            return null;
        }

        long agree = 0;
        for (var i = 0; i < first.Length; i++)
        {
            agree += first[i] == second[i] ? 1 : 0;
        }

        return (double)agree / first.Length;
    }

    private static void ThrowIfUnpaired(int first, int second)
    {
        if (first != second)
        {
            throw new ArgumentException($"The raters have {first} and {second} values; agreement needs one pair per item.");
        }
    }
}
