using Rampart.Stats.Hypothesis;

namespace Rampart.Stats.Paired;

/// <summary>
/// Paired comparison of positive, right-skewed values such as latencies on a multiplicative scale: a paired t-test on
/// ln(shadowᵢ/controlᵢ), reported back as the geometric mean ratio.
/// </summary>
public static class GeometricMeanRatio
{
    /// <summary>
    /// Paired t-test on ln(shadowᵢ) − ln(controlᵢ) (matches <c>scipy.stats.ttest_rel(np.log(shadow), np.log(control))</c>);
    /// the ratio is exp(mean) and its interval exp(mean ± t_crit,n−1 · SE).
    /// </summary>
    /// <param name="control">Finite positive values of the control, one per request.</param>
    /// <param name="shadow">Finite positive values of the shadow for the same requests, in the same order.</param>
    /// <param name="confidence">Confidence level of the interval; 0.95 by default.</param>
    public static GeometricMeanRatioResult Compare(ReadOnlySpan<double> control, ReadOnlySpan<double> shadow, double confidence = 0.95)
    {
        Guard.OpenUnit(confidence);
        var test = PairedTTest.OfDifferences(PairedSamples.LogRatios(control, shadow), confidence);
        double? ratio = test.MeanDifference is { } mean ? Math.Exp(mean) : null;
        ConfidenceInterval? interval = test.Interval is { } log ? new ConfidenceInterval(Math.Exp(log.Lower), Math.Exp(log.Upper)) : null;
        if (ratio is { } r && !double.IsFinite(r) || interval is { } i && !double.IsFinite(i.Upper))
        {
            return new GeometricMeanRatioResult(test.Pairs, null, null, null, null, null, "the ratio overflows");
        }

        return new GeometricMeanRatioResult(test.Pairs, ratio, interval, test.T, test.DegreesOfFreedom, test.PValue, test.Reason);
    }
}
