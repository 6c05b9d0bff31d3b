namespace Rampart.Stats.Power;

/// <summary>Units per group needed to detect a change in a proportion; a value that cannot be computed is null and <see cref="Reason"/> says why.</summary>
/// <param name="UnitsPerGroup">The unrounded size rounded up.</param>
/// <param name="UnroundedUnitsPerGroup">2·((z₁₋α/₂ + z_power)/h)².</param>
/// <param name="EffectSize">Cohen's h = 2·asin(√p₂) − 2·asin(√p₁).</param>
/// <param name="Reason">Why a value is null; null when every value is present.</param>
public sealed record SampleSizeResult(long? UnitsPerGroup, double? UnroundedUnitsPerGroup, double EffectSize, string? Reason);
