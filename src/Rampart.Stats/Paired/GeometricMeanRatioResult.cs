using Rampart.Stats.Hypothesis;

namespace Rampart.Stats.Paired;

/// <summary>Outcome of the paired t-test on log ratios; a value that cannot be computed is null and <see cref="Reason"/> says why.</summary>
/// <param name="Pairs">Number of pairs n.</param>
/// <param name="Ratio">Geometric mean of shadowᵢ/controlᵢ, exp(mean of ln(shadowᵢ/controlᵢ)); 1.1 means the shadow is 10% slower.</param>
/// <param name="Interval">exp of the t interval of the mean log ratio: a confidence interval of <see cref="Ratio"/>.</param>
/// <param name="T">Mean log ratio / its standard error.</param>
/// <param name="DegreesOfFreedom">n − 1.</param>
/// <param name="PValue">Two-sided p-value of "the geometric mean ratio is 1".</param>
/// <param name="Reason">Why a value is null; null when every value is present.</param>
public sealed record GeometricMeanRatioResult(
    long Pairs,
    double? Ratio,
    ConfidenceInterval? Interval,
    double? T,
    double? DegreesOfFreedom,
    double? PValue,
    string? Reason);
