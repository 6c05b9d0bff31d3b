using System.Runtime.CompilerServices;
using Rampart.Analysis;
using Rampart.Analysis.Aggregation;
using Rampart.Analysis.Results;
using Rampart.Analysis.Segments;
using Rampart.Core.Events;
using Rampart.Core.Rollouts;

namespace Rampart.Server.Results;

/// <summary>
/// Per-segment results from the stored events (one read of the experiment's events per call: segments are not kept
/// incrementally), and <c>promotion.max_segment_drop</c> applied to the results' promotion recommendation.
/// </summary>
internal static class SegmentReader
{
    /// <summary>The problem with <paramref name="by"/> for <paramref name="experiment"/>, or null when it stores that attribute.</summary>
    public static string? Problem(Experiment experiment, string by)
    {
        var stored = experiment.Definition.StoredAttributes;
        if (stored.Contains(by, StringComparer.Ordinal))
        {
            return null;
        }

        return stored.IsDefaultOrEmpty
            ? $"'by': experiment '{experiment.Key}' stores no attributes; list the ones to break results down by in its \"segments\"."
            : $"'by': experiment '{experiment.Key}' does not store attribute '{Shown(by)}'; use one of {string.Join(", ", stored)} (its segments and targeting attributes).";
    }

    // No attribute name is longer than UnitAttributes.MaxNameLength, so a longer 'by' is quoted only that far: a query of
    // kilobytes is not echoed back whole.
    private static string Shown(string by) =>
        by.Length <= Core.Targeting.UnitAttributes.MaxNameLength ? by : string.Concat(by.AsSpan(0, Core.Targeting.UnitAttributes.MaxNameLength), "…");

    /// <summary>Why a promotion gated by segments is held when events of <paramref name="experiment"/> were pruned.</summary>
    public static string PrunedHold(string experiment) =>
        $"Continue: segments (promotion.max_segment_drop) cannot be checked, because events of '{experiment}' were pruned and segments are computed from the stored events (docs/storage.md, \"Retention\").";

    /// <summary>
    /// The experiment's per-segment results by <paramref name="by"/>, from every stored event of its listed variants;
    /// <see cref="ResultsUnavailableException"/> when some of them were pruned (they would be left out).
    /// </summary>
    public static async Task<SegmentedResults> AnalyzeAsync(Experiment experiment, string by, IEventStore events, IEventRetention retention, CancellationToken cancellationToken)
    {
        if (await retention.IsPrunedAsync(experiment.Key, cancellationToken).ConfigureAwait(false))
        {
            throw new ResultsUnavailableException(
                $"Segments of '{experiment.Key}' are computed from its stored events, and some were pruned (docs/storage.md, \"Retention\"); its results without 'by' still count every event.");
        }

        return await AnalyzeAsync(experiment, by, events, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The experiment's per-segment results by <paramref name="by"/>, from every stored event of its listed variants.</summary>
    public static Task<SegmentedResults> AnalyzeAsync(Experiment experiment, string by, IEventStore events, CancellationToken cancellationToken) =>
        SegmentedAnalyzer.AnalyzeAsync(
            Listed(experiment, events.ReadAsync(experiment.Key, cancellationToken), cancellationToken), experiment.Key, by, AnalysisOptions.For(experiment), QuantileMode.Sketch, cancellationToken);

    /// <summary>
    /// <paramref name="document"/>, its promotion withdrawn when a segment of any attribute in the experiment's <c>segments</c>
    /// blocks it (<c>promotion.max_segment_drop</c>); unchanged, with no read, unless it promotes and the drop is set.
    /// </summary>
    public static async Task<ResultsDocument> GateAsync(Experiment experiment, ResultsDocument document, IEventStore events, IEventRetention retention, CancellationToken cancellationToken)
    {
        var definition = experiment.Definition;
        if (document.Recommendation.Action != RecommendedAction.Promote || definition.Promotion.MaxSegmentDrop is null || definition.Segments.IsDefaultOrEmpty)
        {
            return document;
        }

        var recommendation = document.Recommendation;
        if (await retention.IsPrunedAsync(experiment.Key, cancellationToken).ConfigureAwait(false))
        {
            return document with
            {
                Recommendation = new Recommendation(RecommendedAction.Continue, null, [PrunedHold(experiment.Key)],
                    [.. recommendation.Reasons, .. recommendation.Details ?? []], recommendation.Outcome),
            };
        }

        foreach (var by in definition.Segments)
        {
            recommendation = SegmentGate.Apply(recommendation, await AnalyzeAsync(experiment, by, events, cancellationToken).ConfigureAwait(false));
        }

        return document with { Recommendation = recommendation };
    }

    // As the results: events of a variant no longer listed are left out, not an error.
    private static async IAsyncEnumerable<ExperimentEvent> Listed(
        Experiment experiment, IAsyncEnumerable<ExperimentEvent> events, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in events.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (experiment.Definition.IndexOf(e.Variant) >= 0)
            {
                yield return e;
            }
        }
    }
}
