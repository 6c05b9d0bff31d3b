namespace Rampart.Stats.Hypothesis;

/// <summary>Outcome of Welch's two-sample t-test; a value that cannot be computed is null and <see cref="Reason"/> says why.</summary>
/// <param name="Difference">Mean of the variant minus mean of the control.</param>
/// <param name="StandardError">√(s₁²/n₁ + s₂²/n₂).</param>
/// <param name="T">Difference / standard error.</param>
/// <param name="DegreesOfFreedom">Welch–Satterthwaite degrees of freedom.</param>
/// <param name="PValue">Two-sided p-value from Student's t with <see cref="DegreesOfFreedom"/>.</param>
/// <param name="Interval">Confidence interval of <see cref="Difference"/>: diff ± t_crit,df · SE.</param>
/// <param name="Reason">Why a value is null; null when every value is present.</param>
public sealed record WelchTestResult(
    double? Difference,
    double? StandardError,
    double? T,
    double? DegreesOfFreedom,
    double? PValue,
    ConfidenceInterval? Interval,
    string? Reason);
