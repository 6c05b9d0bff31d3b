namespace Rampart.Stats.Ratios;

/// <summary>A ratio metric and its delta-method variance; a value that cannot be computed is null and <see cref="Reason"/> says why.</summary>
/// <param name="Units">Number of units, n.</param>
/// <param name="Ratio">R = ΣYᵢ/ΣNᵢ.</param>
/// <param name="Variance">Var(R) by the delta method.</param>
/// <param name="Reason">Why a value is null; null when every value is present.</param>
public sealed record RatioEstimate(long Units, double? Ratio, double? Variance, string? Reason = null);
