using Rampart.Analysis.Aggregation;
using Rampart.Stats.Descriptive;
using Rampart.Stats.Ratios;

namespace Rampart.Analysis;

/// <summary>One variant's aggregate reduced to the numbers the document and the decisions use.</summary>
internal sealed record VariantSnapshot(
    string Name,
    long Units,
    long Requests,
    long Errors,
    SampleSummary Latency,
    double? P50,
    double? P95,
    double? P99,
    SampleSummary Cost,
    double CostTotal,
    long PromptTokens,
    long CompletionTokens,
    RatioAccumulator ErrorUnits,
    RatioAccumulator LatencyUnits,
    RatioAccumulator CostUnits,
    IReadOnlyDictionary<string, ScoreSummary> Scores,
    VariantAggregate? Aggregate)
{
    public double? ErrorRate => Requests > 0 ? (double)Errors / Requests : null;

    public ScoreSummary Score(string name) => Scores.GetValueOrDefault(name) ?? ScoreSummary.Empty(name);

    /// <summary>Successful completions slower than <paramref name="thresholdMs"/>.</summary>
    public long CountSlowerThan(double thresholdMs) => Aggregate?.CountSlowerThan(thresholdMs) ?? 0;

    public static VariantSnapshot Of(string name, VariantAggregate? aggregate, bool unitsFromExposures)
    {
        if (aggregate is null)
        {
            var empty = SampleStatistics.Summarize([]);
            return new VariantSnapshot(name, 0, 0, 0, empty, null, null, null, empty, 0, 0, 0, default, default, default, new Dictionary<string, ScoreSummary>(), null);
        }

        return new VariantSnapshot(
            name,
            aggregate.CountUnits(unitsFromExposures),
            aggregate.Requests,
            aggregate.Errors,
            aggregate.Latency,
            aggregate.LatencyQuantile(0.50),
            aggregate.LatencyQuantile(0.95),
            aggregate.LatencyQuantile(0.99),
            aggregate.Cost,
            aggregate.CostTotal,
            aggregate.PromptTokens,
            aggregate.CompletionTokens,
            aggregate.PerUnit(UnitMetric.ErrorRate),
            aggregate.PerUnit(UnitMetric.Latency),
            aggregate.PerUnit(UnitMetric.Cost),
            aggregate.Scores.ToDictionary(s => s.Name, s => s.Summarize(), StringComparer.Ordinal),
            aggregate);
    }
}
