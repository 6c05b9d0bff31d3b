namespace Rampart.Analysis.Results;

/// <summary>Paired failures of a shadow variant and the control (McNemar, docs/statistics.md §11).</summary>
/// <param name="ShadowOnly">b: the control succeeded and the shadow failed.</param>
/// <param name="ControlOnly">c: the control failed and the shadow succeeded.</param>
/// <param name="Both">d: both failed.</param>
/// <param name="ControlRate">The control's failure rate on the pairs.</param>
/// <param name="ShadowRate">The shadow's failure rate on the pairs.</param>
/// <param name="Ratio">Shadow rate / control rate; 1 when neither failed, null when only the shadow failed.</param>
/// <param name="Difference">(b − c)/n: the shadow's failure rate minus the control's.</param>
/// <param name="Ci95">Wald interval of the difference.</param>
/// <param name="PValue">Exact two-sided McNemar p-value.</param>
/// <param name="PValueShadowWorse">Exact one-sided p-value of "the shadow fails more often".</param>
public sealed record ShadowErrorResult(
    long ShadowOnly,
    long ControlOnly,
    long Both,
    double? ControlRate,
    double? ShadowRate,
    double? Ratio,
    double? Difference,
    IReadOnlyList<double>? Ci95,
    double? PValue,
    double? PValueShadowWorse);
