using Rampart.Stats.Hypothesis;

namespace Rampart.Stats.Ratios;

/// <summary>Outcome of the delta-method z-test between two ratio metrics; a value that cannot be computed is null and <see cref="Reason"/> says why.</summary>
/// <param name="ControlRatio">R₁.</param>
/// <param name="VariantRatio">R₂.</param>
/// <param name="Difference">R₂ − R₁.</param>
/// <param name="StandardError">√(Var(R₁) + Var(R₂)).</param>
/// <param name="Z">Difference / standard error.</param>
/// <param name="PValue">Two-sided p-value, 2·(1 − Φ(|z|)).</param>
/// <param name="Interval">Difference ± z_crit · SE.</param>
/// <param name="Reason">Why a value is null; null when every value is present.</param>
public sealed record DeltaMethodResult(
    double? ControlRatio,
    double? VariantRatio,
    double? Difference,
    double? StandardError,
    double? Z,
    double? PValue,
    ConfidenceInterval? Interval,
    string? Reason);
