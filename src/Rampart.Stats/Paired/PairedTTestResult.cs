using Rampart.Stats.Hypothesis;

namespace Rampart.Stats.Paired;

/// <summary>Outcome of the paired t-test on dᵢ = shadowᵢ − controlᵢ; a value that cannot be computed is null and <see cref="Reason"/> says why.</summary>
/// <param name="Pairs">Number of pairs n.</param>
/// <param name="MeanDifference">d̄, the mean of shadow − control.</param>
/// <param name="StandardError">s_d/√n.</param>
/// <param name="T">d̄ / standard error.</param>
/// <param name="DegreesOfFreedom">n − 1.</param>
/// <param name="PValue">Two-sided p-value from Student's t with n − 1 degrees of freedom.</param>
/// <param name="Interval">d̄ ± t_crit,n−1 · SE.</param>
/// <param name="Reason">Why a value is null; null when every value is present.</param>
public sealed record PairedTTestResult(
    long Pairs,
    double? MeanDifference,
    double? StandardError,
    double? T,
    double? DegreesOfFreedom,
    double? PValue,
    ConfidenceInterval? Interval,
    string? Reason);
