using Rampart.Stats.Descriptive;
using Rampart.Stats.Ratios;

namespace Rampart.Analysis.Aggregation;

/// <summary>A score's winning values in one variant, summarised.</summary>
/// <param name="Name">The score's name.</param>
/// <param name="Values">Count, mean and sample variance of the values.</param>
/// <param name="Sum">The sum of the values (the successes, when the score is binary).</param>
/// <param name="IsBinary">True when there is at least one value and every value is 0 or 1.</param>
/// <param name="PerUnit">Per-unit sums and counts of the values, for the delta method.</param>
public sealed record ScoreSummary(string Name, SampleSummary Values, double Sum, bool IsBinary, RatioAccumulator PerUnit)
{
    /// <summary>The summary of a score with no feedback.</summary>
    public static ScoreSummary Empty(string name) =>
        new(name, SampleStatistics.Summarize([]), 0, false, default);
}
