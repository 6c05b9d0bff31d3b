namespace Rampart.Analysis.Results;

/// <summary>
/// Sample-ratio mismatch: Pearson's chi-square goodness of fit of the units against the expected weights, per stage when the
/// events carry the stage that served them (a ramp changes the weights, so the whole history fits no single split), else over
/// the whole history against the current weights.
/// </summary>
/// <param name="PValue">
/// The deciding p-value: the smallest stage's when <see cref="Stages"/> has any, else the whole history's; null when it cannot
/// be computed (the reason is in the recommendation's details).
/// </param>
/// <param name="Mismatch">True when <see cref="PValue"/> &lt; 0.001: the split is not what was configured; never promote.</param>
/// <param name="ExpectedWeights">The current weights, in percent, per variant.</param>
/// <param name="ObservedUnits">The units counted over the whole history, per variant.</param>
/// <param name="Stages">One test per stage that served; empty when the events carry no stage (a file without <c>stage</c>).</param>
public sealed record SrmResult(
    double? PValue,
    bool Mismatch,
    IReadOnlyDictionary<string, double> ExpectedWeights,
    IReadOnlyDictionary<string, long> ObservedUnits,
    IReadOnlyList<SrmStage>? Stages = null)
{
    /// <summary>The p-value below which a mismatch is flagged.</summary>
    public const double Threshold = 0.001;
}
