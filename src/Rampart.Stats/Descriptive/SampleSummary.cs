namespace Rampart.Stats.Descriptive;

/// <summary>Count, mean and sample variance of one group; a value that cannot be computed is null and <see cref="Reason"/> says why.</summary>
/// <param name="Count">Number of observations.</param>
/// <param name="Mean">Arithmetic mean; null when there are no observations.</param>
/// <param name="Variance">Sample variance with one degree of freedom removed (ddof 1); null with fewer than 2 observations.</param>
/// <param name="Reason">Why a value is null; null when every value is present.</param>
public sealed record SampleSummary(long Count, double? Mean, double? Variance, string? Reason = null)
{
    /// <summary>Summary from already-known statistics, e.g. SQL aggregates.</summary>
    public static SampleSummary Of(long count, double mean, double variance)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Guard.Finite(mean);
        Guard.FiniteNonNegative(variance);
        return new SampleSummary(count, mean, variance);
    }

    /// <summary>Sample standard deviation; null when <see cref="Variance"/> is.</summary>
    public double? StandardDeviation => Variance is { } v ? Math.Sqrt(v) : null;
}
