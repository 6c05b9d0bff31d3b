using System.CommandLine;
using Rampart.Analysis;
using Rampart.Analysis.Aggregation;
using Rampart.Analysis.Segments;
using Rampart.Cli.Rendering;

namespace Rampart.Cli.Commands;

/// <summary>
/// <c>rampart results KEY [--by ATTRIBUTE] [--format table|json] [--verbose]</c>: the analysis of an experiment's stored events (brought in by
/// <c>rampart import</c> or the server), with the experiment's own control, primary score, thresholds and current weights; with
/// <c>--by</c>, per segment of one of its stored attributes (docs/targeting.md).
/// </summary>
public static class ResultsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var key = new Argument<string>("key") { Description = "The experiment's key" };
        var format = ResultsOutput.FormatOption();
        var verbose = ResultsOutput.VerboseOption();
        var by = new Option<string?>("--by") { Description = "Break the results down by this stored attribute (one of the experiment's segments or targeting attributes)" };
        var command = new Command("results", "Analyse an experiment's stored events: the dashboard table or the results document") { key, format, verbose, by };
        command.SetAction(async (parse, ct) =>
        {
            var (experiments, events) = context.OpenStoresToRead(parse);
            var experiment = await CliContext.FindAsync(experiments, parse.GetValue(key)!, ct).ConfigureAwait(false);
            await context.ThrowIfPrunedAsync(parse, experiment.Key, "results", ct).ConfigureAwait(false);
            if (parse.GetValue(by) is { } attribute)
            {
                await WriteSegmentsAsync(context, experiment, attribute, events, parse.GetValue(format)!, parse.GetValue(verbose), ct).ConfigureAwait(false);
                return 0;
            }

            var document = await AnalyzeAsync(experiment, events, ct).ConfigureAwait(false);
            var options = AnalysisOptions.For(experiment);
            await ResultsOutput.WriteAsync(context, document, parse.GetValue(format)!, options.PrimaryScore, options.Promotion.Alpha, parse.GetValue(verbose)).ConfigureAwait(false);
            if (parse.GetValue(format) == "table")
            {
                // Feedback names a request id, not an experiment: what never met its call is known only for the whole database.
                var expired = await context.OpenPendingFeedback(parse).CountExpiredAsync(ct).ConfigureAwait(false);
                if (expired > 0)
                {
                    await context.Stdout.WriteLineAsync(ExpiredFeedbackNote(expired)).ConfigureAwait(false);
                    await context.Stdout.FlushAsync(ct).ConfigureAwait(false);
                }
            }

            return 0;
        });
        return command;
    }

    /// <summary>The note under the table when feedback expired without meeting its call.</summary>
    internal static string ExpiredFeedbackNote(long expired) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"Note: {expired:N0} piece{(expired == 1 ? "" : "s")} of feedback expired unjoined on this database, all experiments together (no call with its request id was stored within feedback.pending_ttl).");

    /// <summary>The results document of <paramref name="experiment"/> from its stored events.</summary>
    internal static async Task<Analysis.Results.ResultsDocument> AnalyzeAsync(Core.Rollouts.Experiment experiment, Core.Events.IEventStore events, CancellationToken ct)
    {
        // Raw events are at hand, so quantiles are exact; the server keeps the same aggregates incrementally.
        var aggregate = new ExperimentAggregate(experiment.Key, QuantileMode.Exact);
        long sequence = 0;
        await foreach (var e in events.ReadAsync(experiment.Key, ct).ConfigureAwait(false))
        {
            aggregate.Add(e, ++sequence);
        }

        var document = ExperimentAnalyzer.Analyze(aggregate, AnalysisOptions.For(experiment));
        if (document.Recommendation.Action != Analysis.Results.RecommendedAction.Promote || experiment.Definition.Promotion.MaxSegmentDrop is null)
        {
            return document;
        }

        // promotion.max_segment_drop: a segment of any of the experiment's segments attributes may withdraw the promotion.
        var recommendation = document.Recommendation;
        foreach (var attribute in experiment.Definition.Segments)
        {
            recommendation = SegmentGate.Apply(recommendation, await SegmentedAnalyzer.AnalyzeAsync(
                events.ReadAsync(experiment.Key, ct), experiment.Key, attribute, AnalysisOptions.For(experiment), QuantileMode.Exact, ct).ConfigureAwait(false));
        }

        return document with { Recommendation = recommendation };
    }

    private static async Task WriteSegmentsAsync(
        CliContext context, Core.Rollouts.Experiment experiment, string by, Core.Events.IEventStore events, string format, bool verbose, CancellationToken ct)
    {
        var stored = experiment.Definition.StoredAttributes;
        if (!stored.Contains(by, StringComparer.Ordinal))
        {
            throw new CliException(stored.IsDefaultOrEmpty
                ? $"--by: experiment '{experiment.Key}' stores no attributes; list the ones to break results down by in its \"segments\"."
                : $"--by: experiment '{experiment.Key}' does not store attribute '{by}'; use one of {string.Join(", ", stored)}.");
        }

        var results = await SegmentedAnalyzer.AnalyzeAsync(events.ReadAsync(experiment.Key, ct), experiment.Key, by, AnalysisOptions.For(experiment), QuantileMode.Exact, ct).ConfigureAwait(false);
        await ResultsOutput.WriteAsync(context, results, format, verbose).ConfigureAwait(false);
    }
}
