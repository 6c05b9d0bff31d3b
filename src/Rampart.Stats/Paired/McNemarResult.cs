using Rampart.Stats.Hypothesis;

namespace Rampart.Stats.Paired;

/// <summary>Outcome of McNemar's test on paired failures; a value that cannot be computed is null and <see cref="Reason"/> says why.</summary>
/// <param name="Pairs">n = a + b + c + d, every pair counted.</param>
/// <param name="Discordant">b + c, the pairs where exactly one variant failed: the only ones that carry evidence.</param>
/// <param name="Difference">Shadow's failure rate minus the control's, (b − c)/n; positive when the shadow fails more often.</param>
/// <param name="Interval">Wald interval of <see cref="Difference"/> for paired proportions, clipped to [−1, 1].</param>
/// <param name="PValue">Exact two-sided p-value: b out of b + c under Binomial(b + c, ½).</param>
/// <param name="PValueShadowWorse">Exact one-sided p-value of "the shadow fails more often", P(X ≥ b) under Binomial(b + c, ½).</param>
/// <param name="ChiSquare">(|b − c| − 1)²/(b + c), McNemar's statistic with continuity correction, for reporting.</param>
/// <param name="ChiSquarePValue">Upper tail of <see cref="ChiSquare"/> under χ² with 1 degree of freedom.</param>
/// <param name="Reason">Why a value is null; null when every value is present.</param>
public sealed record McNemarResult(
    long Pairs,
    long Discordant,
    double? Difference,
    ConfidenceInterval? Interval,
    double? PValue,
    double? PValueShadowWorse,
    double? ChiSquare,
    double? ChiSquarePValue,
    string? Reason);
