namespace Rampart.Analysis.Results;

/// <summary>Paired cost per request of a shadow variant and the control (paired t), and what the shadow calls cost.</summary>
/// <param name="N">Pairs where both sides have a cost.</param>
/// <param name="MeanDifference">Mean of shadow − control, USD per request.</param>
/// <param name="Ci95">Its t interval.</param>
/// <param name="PValue">Two-sided paired t p-value.</param>
/// <param name="ShadowTotal">Every shadow call of the variant, paired or not: the shadow stage's spend.</param>
public sealed record ShadowCostResult(long N, double? MeanDifference, IReadOnlyList<double>? Ci95, double? PValue, double ShadowTotal);
