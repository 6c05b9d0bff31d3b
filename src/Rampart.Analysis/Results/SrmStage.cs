namespace Rampart.Analysis.Results;

/// <summary>The sample-ratio test of one stage: the distinct units each variant served at it against the stage's weights.</summary>
/// <param name="Stage">The stage, from 1.</param>
/// <param name="Expected">The stage's weights in percent, for the variants compared (those whose weight stayed the same through the stage).</param>
/// <param name="Observed">The distinct units each of those variants served at this stage.</param>
/// <param name="PValue">Chi-square goodness of fit; null when it cannot be computed.</param>
public sealed record SrmStage(
    int Stage,
    IReadOnlyDictionary<string, double> Expected,
    IReadOnlyDictionary<string, long> Observed,
    double? PValue);
