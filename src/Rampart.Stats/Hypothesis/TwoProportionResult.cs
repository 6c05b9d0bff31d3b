namespace Rampart.Stats.Hypothesis;

/// <summary>Outcome of the pooled two-proportion z-test; a value that cannot be computed is null and <see cref="Reason"/> says why.</summary>
/// <param name="ControlRate">p̂₁ = x₁/n₁.</param>
/// <param name="VariantRate">p̂₂ = x₂/n₂.</param>
/// <param name="Difference">p̂₂ − p̂₁.</param>
/// <param name="Z">(p̂₂ − p̂₁)/√(p̂(1−p̂)(1/n₁ + 1/n₂)) with the pooled p̂.</param>
/// <param name="PValue">Two-sided p-value, 2·(1 − Φ(|z|)).</param>
/// <param name="Interval">Newcombe's hybrid score interval of <see cref="Difference"/>; present whenever both groups have trials.</param>
/// <param name="Reason">Why a value is null; null when every value is present.</param>
public sealed record TwoProportionResult(
    double? ControlRate,
    double? VariantRate,
    double? Difference,
    double? Z,
    double? PValue,
    ConfidenceInterval? Interval,
    string? Reason);
