using Rampart.Stats.Descriptive;
using Rampart.Stats.Hypothesis;

namespace Rampart.Stats.Paired;

/// <summary>Paired t-test of the mean difference, e.g. cost per request of the shadow minus the control on the same requests.</summary>
public static class PairedTTest
{
    /// <summary>
    /// With dᵢ = shadowᵢ − controlᵢ: t = d̄/(s_d/√n), df = n − 1, two-sided p from Student's t, CI = d̄ ± t_crit,df · s_d/√n
    /// (matches <c>scipy.stats.ttest_rel(shadow, control)</c> and its <c>confidence_interval()</c>).
    /// </summary>
    /// <param name="control">Finite values of the control, one per request.</param>
    /// <param name="shadow">Finite values of the shadow for the same requests, in the same order.</param>
    /// <param name="confidence">Confidence level of the interval; 0.95 by default.</param>
    public static PairedTTestResult Compare(ReadOnlySpan<double> control, ReadOnlySpan<double> shadow, double confidence = 0.95)
    {
        Guard.OpenUnit(confidence);
        return OfDifferences(PairedSamples.Differences(control, shadow), confidence);
    }

    /// <summary>The one-sample t-test of the differences against 0.</summary>
    internal static PairedTTestResult OfDifferences(double[] differences, double confidence)
    {
        var summary = SampleStatistics.Summarize(differences);
        var n = summary.Count;
        if (n < 2 || summary.Mean is not { } mean || summary.Variance is not { } variance)
        {
            return Missing(n, summary.Mean, "fewer than 2 pairs");
        }

        if (!(variance > 0))
        {
            return Missing(n, mean, "every pair has the same difference, so the standard error is zero");
        }

        var standardError = Math.Sqrt(variance / n);
        var t = mean / standardError;
        if (!double.IsFinite(t))
        {
            return Missing(n, mean, "the t statistic overflows");
        }

        double df = n - 1;
        var halfWidth = Tails.StudentCritical(confidence, df) * standardError;
        return new PairedTTestResult(n, mean, standardError, t, df, Tails.TwoSidedStudent(t, df), ConfidenceInterval.Around(mean, halfWidth), null);
    }

    private static PairedTTestResult Missing(long pairs, double? mean, string reason) =>
        new(pairs, mean, null, null, null, null, null, reason);
}
