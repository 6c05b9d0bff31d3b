namespace Rampart.Analysis.Shadow;

/// <summary>The matched values of one score on one shadow variant: the served answer's and the shadow answer's, per pair, in pair order.</summary>
/// <param name="Control">The judge's score of the served (control) answer.</param>
/// <param name="Shadow">The judge's score of the shadow answer to the same request.</param>
public sealed record PairedScores(IReadOnlyList<double> Control, IReadOnlyList<double> Shadow);
