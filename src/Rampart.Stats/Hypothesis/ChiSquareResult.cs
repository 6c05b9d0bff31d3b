namespace Rampart.Stats.Hypothesis;

/// <summary>Outcome of a Pearson chi-square test; a value that cannot be computed is null and <see cref="Reason"/> says why.</summary>
/// <param name="Statistic">Σ (o − e)²/e.</param>
/// <param name="DegreesOfFreedom">k − 1 for goodness of fit, (r − 1)(c − 1) for independence.</param>
/// <param name="PValue">Upper-tail probability of the statistic under χ² with <see cref="DegreesOfFreedom"/>.</param>
/// <param name="Reason">Why a value is null; null when every value is present.</param>
public sealed record ChiSquareResult(double? Statistic, int? DegreesOfFreedom, double? PValue, string? Reason);
