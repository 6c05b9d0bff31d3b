using Rampart.Stats.Hypothesis;

namespace Rampart.Stats.Paired;

/// <summary>Outcome of a pairwise preference count; a value that cannot be computed is null and <see cref="Reason"/> says why.</summary>
/// <param name="Comparisons">n = wins + losses + ties.</param>
/// <param name="Rate">(wins + ties/2)/n: the shadow's share of the preference, ½ when neither is preferred.</param>
/// <param name="Interval">Wilson interval of <see cref="Rate"/> with n trials.</param>
/// <param name="PValue">Two-sided sign test: wins out of wins + losses under Binomial(wins + losses, ½), ties dropped.</param>
/// <param name="Reason">Why a value is null; null when every value is present.</param>
public sealed record WinRateResult(long Comparisons, double? Rate, ConfidenceInterval? Interval, double? PValue, string? Reason);
