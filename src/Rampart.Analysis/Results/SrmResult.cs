namespace Rampart.Analysis.Results;

/// <summary>Sample-ratio mismatch: Pearson's chi-square goodness of fit of the units against the expected weights.</summary>
/// <param name="PValue">The test's p-value; null when it cannot be computed (the reason is in the recommendation).</param>
/// <param name="Mismatch">True when <see cref="PValue"/> &lt; 0.001: the split is not what was configured; never promote.</param>
/// <param name="ExpectedWeights">The weights tested against, in percent, per variant.</param>
/// <param name="ObservedUnits">The units counted, per variant.</param>
public sealed record SrmResult(
    double? PValue,
    bool Mismatch,
    IReadOnlyDictionary<string, double> ExpectedWeights,
    IReadOnlyDictionary<string, long> ObservedUnits)
{
    /// <summary>The p-value below which a mismatch is flagged.</summary>
    public const double Threshold = 0.001;
}
