using Rampart.Stats.Descriptive;

namespace Rampart.Stats.Hypothesis;

/// <summary>Welch's unequal-variance t-test on summary statistics (matches <c>scipy.stats.ttest_ind(variant, control, equal_var=False)</c>).</summary>
public static class WelchTest
{
    /// <summary>
    /// Compares two groups: t = (x̄₂ − x̄₁)/√(s₁²/n₁ + s₂²/n₂), df by Welch–Satterthwaite,
    /// two-sided p from Student's t, CI = diff ± t_crit,df · SE.
    /// </summary>
    /// <param name="control">Summary of the control group (group 1).</param>
    /// <param name="variant">Summary of the variant group (group 2).</param>
    /// <param name="confidence">Confidence level of the interval; 0.95 by default.</param>
    public static WelchTestResult Compare(SampleSummary control, SampleSummary variant, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(control);
        ArgumentNullException.ThrowIfNull(variant);
        Guard.OpenUnit(confidence);

        double? difference = control.Mean is { } m1 && variant.Mean is { } m2 ? m2 - m1 : null;
        if (control.Count < 2 || control.Mean is null || control.Variance is null)
        {
            return Missing(difference, "fewer than 2 observations in the control");
        }

        if (variant.Count < 2 || variant.Mean is null || variant.Variance is null)
        {
            return Missing(difference, "fewer than 2 observations in the variant");
        }

        Guard.FiniteNonNegative(control.Variance.Value, "control.Variance");
        Guard.FiniteNonNegative(variant.Variance.Value, "variant.Variance");
        var diff = difference!.Value;
        if (!double.IsFinite(diff))
        {
            return Missing(null, "the difference overflows");
        }

        var a = control.Variance.Value / control.Count;
        var b = variant.Variance.Value / variant.Count;
        var squaredError = a + b;
        if (!(squaredError > 0))
        {
            return Missing(diff, "zero variance in both groups");
        }

        var standardError = Math.Sqrt(squaredError);
        var t = diff / standardError;
        if (!double.IsFinite(t))
        {
            return Missing(diff, "the t statistic overflows");
        }

        // Shares of the squared error rather than raw squares: no underflow when variances are tiny.
        var shareA = a / squaredError;
        var shareB = b / squaredError;
        var df = 1 / ((shareA * shareA / (control.Count - 1)) + (shareB * shareB / (variant.Count - 1)));
        var halfWidth = Tails.StudentCritical(confidence, df) * standardError;
        return new WelchTestResult(
            diff,
            standardError,
            t,
            df,
            Tails.TwoSidedStudent(t, df),
            ConfidenceInterval.Around(diff, halfWidth),
            null);
    }

    private static WelchTestResult Missing(double? difference, string reason) =>
        new(difference, null, null, null, null, null, reason);
}
