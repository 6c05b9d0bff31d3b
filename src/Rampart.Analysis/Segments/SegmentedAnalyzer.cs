using Rampart.Analysis.Aggregation;
using Rampart.Analysis.Results;
using Rampart.Core.Events;
using Rampart.Stats.Hypothesis;

namespace Rampart.Analysis.Segments;

/// <summary>
/// Per-segment results (docs/targeting.md, Per-segment results): splits an experiment's units by the value of one attribute of their
/// first exposure carrying it, analyses each segment with <see cref="ExperimentAnalyzer"/>, pools segments smaller than
/// <see cref="MinUnitsPerVariant"/> units per variant into <c>other</c>, Holm-adjusts each variant's primary-score p-values across
/// the segments, flags harmed segments and warns of Simpson's paradox.
/// </summary>
public static class SegmentedAnalyzer
{
    /// <summary>The segment of units whose exposures never carry the attribute (or that have no exposure).</summary>
    public const string None = "(none)";

    /// <summary>The segment the small segments are pooled into.</summary>
    public const string Other = "other";

    /// <summary>
    /// A segment needs at least this many units per variant (100 × the number of variants in all) to be reported alone: twice
    /// the 50 per variant below which the per-unit p-value is withheld (MinimumUnits), so an even split clears that minimum.
    /// </summary>
    public const int MinUnitsPerVariant = 100;

    /// <summary>Analyses <paramref name="events"/> (of <paramref name="experiment"/>, in stored order) split by <paramref name="by"/>.</summary>
    public static SegmentedResults Analyze(
        IEnumerable<ExperimentEvent> events, string experiment, string by, AnalysisOptions? options = null, QuantileMode mode = QuantileMode.Exact)
    {
        ArgumentNullException.ThrowIfNull(events);
        var router = new SegmentRouter(experiment, by, mode);
        long sequence = 0;
        foreach (var e in events)
        {
            router.Add(e, ++sequence);
        }

        return Analyze(router, by, options ?? new AnalysisOptions());
    }

    /// <summary>Analyses <paramref name="events"/> (e.g. <c>IEventStore.ReadAsync</c>) split by <paramref name="by"/>.</summary>
    public static async Task<SegmentedResults> AnalyzeAsync(
        IAsyncEnumerable<ExperimentEvent> events, string experiment, string by, AnalysisOptions? options = null, QuantileMode mode = QuantileMode.Exact,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var router = new SegmentRouter(experiment, by, mode);
        long sequence = 0;
        await foreach (var e in events.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            router.Add(e, ++sequence);
        }

        return Analyze(router, by, options ?? new AnalysisOptions());
    }

    private static SegmentedResults Analyze(SegmentRouter router, string by, AnalysisOptions options)
    {
        var overall = ExperimentAnalyzer.Analyze(router.Overall, options);
        var names = overall.Variants.Select(v => v.Name).ToList();
        var segmentOptions = options with { Variants = names, Weights = options.Variants is null ? null : options.Weights };
        var minUnits = (long)MinUnitsPerVariant * Math.Max(2, names.Count);
        var pooled = SegmentPooling.Pool(router.Finish(), router.Overall, minUnits);
        var documents = pooled.Select(s => ExperimentAnalyzer.Analyze(s.Aggregate, segmentOptions)).ToList();

        var score = options.PrimaryScore;
        var alpha = options.Promotion.Alpha;
        var overallRows = overall.Variants.Skip(1).Select(v => Row(v, score, v.VsControl?.GetValueOrDefault(score)?.PValueClusteredHolm, [])).ToList();
        var betterOverall = overallRows.Where(r => r.Diff > 0 && r.PValueHolm < alpha).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);

        // Per variant, its p-values across the segments.
        var adjusted = new double?[names.Count][];
        for (var i = 1; i < names.Count; i++)
        {
            var column = i;
            adjusted[i] = HolmAdjustment.Adjust([.. documents.Select(d => d.Variants[column].VsControl?.GetValueOrDefault(score)?.PValueClustered)]);
        }

        var maxDrop = options.Promotion.MaxSegmentDrop;
        var segments = new List<SegmentResult>(pooled.Count);
        for (var s = 0; s < pooled.Count; s++)
        {
            var document = documents[s];
            var rows = document.Variants.Select((v, i) =>
            {
                if (i == 0)
                {
                    return Row(v, score, null, []);
                }

                var p = adjusted[i][s];
                var diff = v.VsControl?.GetValueOrDefault(score)?.Diff;
                var flags = new List<string>();
                if (p < alpha && diff > 0)
                {
                    flags.Add(SegmentFlags.Better);
                }
                else if (p < alpha && diff < 0)
                {
                    flags.Add(SegmentFlags.Worse);
                    if (betterOverall.Contains(v.Name))
                    {
                        flags.Add(SegmentFlags.Harmed);
                    }

                    if (maxDrop is { } drop && diff < -drop)
                    {
                        flags.Add(SegmentFlags.BlocksPromotion);
                    }
                }

                return Row(v, score, p, flags);
            }).ToList();
            segments.Add(new SegmentResult(pooled[s].Name, pooled[s].Units, pooled[s].Values, rows, document));
        }

        var warnings = SegmentWarnings.Of(by, score, overallRows, segments, pooled.FirstOrDefault(p => p.Name == Other)?.Values.Count ?? 0, minUnits);
        var recommendation = SegmentGate.Apply(overall.Recommendation, by, score, maxDrop, segments);
        return new SegmentedResults(overall.Experiment, by, overall.Control, score, alpha, minUnits, maxDrop, overallRows, segments, warnings, recommendation);
    }

    private static SegmentVariantResult Row(VariantResult v, string score, double? pHolm, IReadOnlyList<string> flags)
    {
        var scored = v.Scores.GetValueOrDefault(score);
        var comparison = v.VsControl?.GetValueOrDefault(score);
        return new SegmentVariantResult(v.Name, v.Units, scored?.Mean, scored?.N ?? 0, comparison?.Diff, comparison?.PValueClustered, pHolm, flags);
    }
}
