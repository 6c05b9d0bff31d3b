namespace Rampart.Stats.Sequential;

/// <summary>One look of the mixture SPRT; a value that cannot be computed is null and <see cref="Reason"/> says why.</summary>
/// <param name="LogLikelihoodRatio">ln Λ, the log of the mixture likelihood ratio at this look.</param>
/// <param name="PValue">min(1, 1/Λ): this look's always-valid p-value, before taking the running minimum.</param>
/// <param name="Reason">Why a value is null; null when every value is present.</param>
public sealed record MsprtResult(double? LogLikelihoodRatio, double? PValue, string? Reason);
