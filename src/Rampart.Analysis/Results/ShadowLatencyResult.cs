namespace Rampart.Analysis.Results;

/// <summary>Paired latencies of a shadow variant and the control, on the pairs where both succeeded.</summary>
/// <param name="N">Pairs compared.</param>
/// <param name="PValue">Wilcoxon signed-rank two-sided p-value.</param>
/// <param name="GeometricMeanRatio">exp(mean of ln(shadow/control)).</param>
/// <param name="GeometricMeanRatioCi95">Its t interval.</param>
/// <param name="MedianRatio">Median of the per-pair ratios.</param>
/// <param name="MedianRatioCi95">Its distribution-free order-statistic interval (null below 6 pairs).</param>
/// <param name="P95Ratio">p95 of the shadow's latencies / p95 of the control's.</param>
public sealed record ShadowLatencyResult(
    long N,
    double? PValue,
    double? GeometricMeanRatio,
    IReadOnlyList<double>? GeometricMeanRatioCi95,
    double? MedianRatio,
    IReadOnlyList<double>? MedianRatioCi95,
    double? P95Ratio);
