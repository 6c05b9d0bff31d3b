namespace Rampart.Analysis.Results;

/// <summary>A pairwise judge's preferences between a shadow variant's answers and the control's.</summary>
/// <param name="N">Comparisons: wins + losses + ties.</param>
/// <param name="Wins">Comparisons won by the shadow.</param>
/// <param name="Losses">Comparisons won by the control.</param>
/// <param name="Ties">Comparisons with no preference.</param>
/// <param name="WinRate">(wins + ties/2)/n.</param>
/// <param name="Ci95">Wilson interval of the win rate.</param>
/// <param name="PValue">Two-sided sign test, ties dropped.</param>
public sealed record ShadowPreferenceResult(long N, long Wins, long Losses, long Ties, double? WinRate, IReadOnlyList<double>? Ci95, double? PValue);
