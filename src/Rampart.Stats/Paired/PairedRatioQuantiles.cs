using Rampart.Stats.Descriptive;
using Rampart.Stats.Hypothesis;

namespace Rampart.Stats.Paired;

/// <summary>The median of per-pair ratios with a distribution-free interval, and the ratio of the p95s.</summary>
public static class PairedRatioQuantiles
{
    /// <summary>
    /// Median of rᵢ = shadowᵢ/controlᵢ; its interval is [r₍k₎, r₍n+1−k₎] with k the largest integer such that
    /// P(X ≤ k − 1) ≤ (1 − confidence)/2 for X ~ Binomial(n, ½) (the sign-test interval: it needs no assumption about the
    /// ratios' distribution; null when n is too small, fewer than 6 pairs at 95%). The p95 ratio is
    /// <c>np.percentile(shadow, 95) / np.percentile(control, 95)</c>: the marginal tails, which pairing does not change.
    /// </summary>
    /// <param name="control">Finite positive values of the control, one per request.</param>
    /// <param name="shadow">Finite positive values of the shadow for the same requests, in the same order.</param>
    /// <param name="confidence">Confidence level of the median's interval; 0.95 by default.</param>
    public static PairedRatioQuantilesResult Of(ReadOnlySpan<double> control, ReadOnlySpan<double> shadow, double confidence = 0.95)
    {
        Guard.OpenUnit(confidence);
        var ratios = PairedSamples.Ratios(control, shadow);
        var n = ratios.Length;
        if (n == 0)
        {
            return new PairedRatioQuantilesResult(0, null, null, null, null, "no pairs");
        }

        Array.Sort(ratios);
        var median = Quantiles.Type7(ratios, 0.5);
        var p95Ratio = Quantiles.Type7(Sorted(shadow), 0.95) / Quantiles.Type7(Sorted(control), 0.95);

        var tail = (1 - confidence) / 2;
        var k = 0;
        while (k < n / 2 && Tails.LowerBinomialHalf(k, n) <= tail)
        {
            k++;
        }

        if (k == 0)
        {
            return new PairedRatioQuantilesResult(n, median, null, null, p95Ratio, $"{n} pairs are too few for an order-statistic interval at {confidence:P0}");
        }

        var interval = new ConfidenceInterval(ratios[k - 1], ratios[n - k]);
        var coverage = 1 - (2 * Tails.LowerBinomialHalf(k - 1, n));
        return new PairedRatioQuantilesResult(n, median, interval, coverage, p95Ratio, null);
    }

    private static double[] Sorted(ReadOnlySpan<double> values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return sorted;
    }
}
