namespace Rampart.Analysis.Shadow;

/// <summary>A pairwise judge's preferences between one shadow variant's answers and the control's (docs/shadow.md).</summary>
/// <param name="Wins">Verdicts above ½: the shadow's answer was better.</param>
/// <param name="Losses">Verdicts below ½: the control's answer was better.</param>
/// <param name="Ties">Verdicts of exactly ½.</param>
public readonly record struct PairedPreference(long Wins, long Losses, long Ties);
