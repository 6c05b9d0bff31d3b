namespace Rampart.Stats.Sequential;

/// <summary>Where a confidence-sequence statistic stands against its boundary.</summary>
/// <param name="Statistic">Sₜ = Σ(Xᵢ − p₀), the centred running sum.</param>
/// <param name="Boundary">The upper boundary at this number of trials.</param>
/// <param name="Exceeds">Whether <see cref="Statistic"/> ≥ <see cref="Boundary"/>: the rate is established to be above p₀.</param>
public sealed record BoundaryCheck(double Statistic, double Boundary, bool Exceeds);
