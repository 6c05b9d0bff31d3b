namespace Rampart.Stats.Paired;

/// <summary>Outcome of the Wilcoxon signed-rank test; a value that cannot be computed is null and <see cref="Reason"/> says why.</summary>
/// <param name="Pairs">Number of pairs given.</param>
/// <param name="NonZeroPairs">Pairs with a non-zero difference: the ones ranked (zero differences are dropped).</param>
/// <param name="Statistic">min(W⁺, W⁻), the smaller of the rank sums of positive and negative differences, as SciPy reports it.</param>
/// <param name="Z">(W⁺ − n(n+1)/4)/σ with the tie-corrected σ, no continuity correction; positive when the shadow is larger.</param>
/// <param name="PValue">Two-sided p-value, exact or from <see cref="Z"/> as <see cref="IsExact"/> says.</param>
/// <param name="IsExact">Whether <see cref="PValue"/> comes from the exact null distribution of W⁺.</param>
/// <param name="Reason">Why a value is null; null when every value is present.</param>
public sealed record WilcoxonSignedRankResult(
    long Pairs,
    long NonZeroPairs,
    double? Statistic,
    double? Z,
    double? PValue,
    bool IsExact,
    string? Reason);
