namespace Rampart.Stats.Hypothesis;

/// <summary>A two-sided confidence interval.</summary>
/// <param name="Lower">Lower bound.</param>
/// <param name="Upper">Upper bound.</param>
public readonly record struct ConfidenceInterval(double Lower, double Upper)
{
    /// <summary>estimate ± halfWidth.</summary>
    public static ConfidenceInterval Around(double estimate, double halfWidth) => new(estimate - halfWidth, estimate + halfWidth);

    /// <summary>Whether <paramref name="value"/> lies inside the closed interval.</summary>
    public bool Contains(double value) => value >= Lower && value <= Upper;
}
