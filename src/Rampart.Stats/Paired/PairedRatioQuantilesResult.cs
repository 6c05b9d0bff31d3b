using Rampart.Stats.Hypothesis;

namespace Rampart.Stats.Paired;

/// <summary>Quantiles of paired ratios shadow/control; a value that cannot be computed is null and <see cref="Reason"/> says why.</summary>
/// <param name="Pairs">Number of pairs n.</param>
/// <param name="MedianRatio">Median of the per-pair ratios shadowᵢ/controlᵢ (type 7, as <c>np.median</c>).</param>
/// <param name="MedianInterval">Distribution-free interval of the median ratio from order statistics [r₍k₎, r₍n+1−k₎].</param>
/// <param name="MedianCoverage">The interval's exact coverage 1 − 2·P(X ≤ k − 1), X ~ Binomial(n, ½): at least the confidence asked for.</param>
/// <param name="P95Ratio">p95 of the shadow's values / p95 of the control's (each type 7): the tail, not the typical pair.</param>
/// <param name="Reason">Why a value is null; null when every value is present.</param>
public sealed record PairedRatioQuantilesResult(
    long Pairs,
    double? MedianRatio,
    ConfidenceInterval? MedianInterval,
    double? MedianCoverage,
    double? P95Ratio,
    string? Reason);
