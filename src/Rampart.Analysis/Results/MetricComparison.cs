namespace Rampart.Analysis.Results;

/// <summary>A variant against the control on one metric; a value that cannot be computed is null (the reason is in the recommendation).</summary>
/// <param name="Test">The request-level test behind <see cref="PValue"/> and <see cref="Ci95"/>.</param>
/// <param name="Diff">mean_v − mean_c.</param>
/// <param name="Lift">diff / mean_c.</param>
/// <param name="PValue">Request-level test (<see cref="Test"/>): pooled two-proportion z-test (binary metrics) or Welch's t-test.</param>
/// <param name="PValueHolm">Holm's adjustment of <see cref="PValue"/> across all variants on this metric.</param>
/// <param name="PValueClustered">Delta-method z-test on per-unit sums: what decisions use; null while either variant has fewer than 50 units with values of the metric.</param>
/// <param name="PValueClusteredHolm">Holm's adjustment of <see cref="PValueClustered"/> across all variants on this metric.</param>
/// <param name="PValueSequential">Always-valid mSPRT p-value at this look, on the clustered difference; null whenever <see cref="PValueClustered"/> is.</param>
/// <param name="PValueSequentialHolm">
/// Holm's adjustment of <see cref="PValueSequential"/> across the variants not rolled back, as the monitor adjusts it: what a
/// running experiment's promotion uses; null for a rolled-back variant.
/// </param>
/// <param name="Ci95">95% confidence interval of <see cref="Diff"/> from the request-level test, [lower, upper].</param>
public sealed record MetricComparison(
    ComparisonTest Test,
    double? Diff,
    double? Lift,
    double? PValue,
    double? PValueHolm,
    double? PValueClustered,
    double? PValueClusteredHolm,
    double? PValueSequential,
    IReadOnlyList<double>? Ci95,
    double? PValueSequentialHolm = null);
