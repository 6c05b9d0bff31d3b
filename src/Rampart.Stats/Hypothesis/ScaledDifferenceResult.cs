namespace Rampart.Stats.Hypothesis;

/// <summary>Outcome of the one-sided test of p₂ − k·p₁ &gt; 0; a value that cannot be computed is null and <see cref="Reason"/> says why.</summary>
/// <param name="Excess">p̂₂ − k·p̂₁.</param>
/// <param name="StandardError">√(p̂₂(1−p̂₂)/n₂ + k²·p̂₁(1−p̂₁)/n₁).</param>
/// <param name="Z">Excess / standard error.</param>
/// <param name="PValue">One-sided p-value, 1 − Φ(z).</param>
/// <param name="Reason">Why a value is null; null when every value is present.</param>
public sealed record ScaledDifferenceResult(double? Excess, double? StandardError, double? Z, double? PValue, string? Reason);
