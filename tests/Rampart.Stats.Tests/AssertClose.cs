namespace Rampart.Stats.Tests;

/// <summary>Tolerances for comparing with SciPy/statsmodels reference values.</summary>
internal static class AssertClose
{
    /// <summary>Means, variances, CIs, quantiles and test statistics: 1e-6 relative.</summary>
    public const double RelativeTolerance = 1e-6;

    /// <summary>p-values: 1e-4 absolute.</summary>
    public const double PValueTolerance = 1e-4;

    public static void Relative(double expected, double? actual, double tolerance = RelativeTolerance)
    {
        Assert.NotNull(actual);
        var error = Math.Abs(actual.Value - expected);
        Assert.True(
            error <= tolerance * Math.Max(Math.Abs(expected), double.Epsilon),
            $"Expected {expected:R} within {tolerance:R} relative, got {actual.Value:R} (relative error {error / Math.Abs(expected):E2}).");
    }

    public static void PValue(double expected, double? actual)
    {
        Assert.NotNull(actual);
        Assert.True(
            Math.Abs(actual.Value - expected) <= PValueTolerance,
            $"Expected p = {expected:R} within {PValueTolerance} absolute, got {actual.Value:R}.");
    }

    /// <summary>A computed value is present and finite: no NaN or infinity escapes.</summary>
    public static void Finite(double? actual)
    {
        Assert.NotNull(actual);
        Assert.True(double.IsFinite(actual.Value), $"Expected a finite value, got {actual.Value}.");
    }
}
