using System.CommandLine;
using Rampart.Analysis;
using Rampart.Analysis.Aggregation;
using Rampart.Cli.Rendering;

namespace Rampart.Cli.Commands;

/// <summary>
/// <c>rampart results KEY [--format table|json] [--verbose]</c>: the analysis of an experiment's stored events (brought in by
/// <c>rampart import</c> or the server), with the experiment's own control, primary score, thresholds and current weights.
/// </summary>
public static class ResultsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var key = new Argument<string>("key") { Description = "The experiment's key" };
        var format = ResultsOutput.FormatOption();
        var verbose = ResultsOutput.VerboseOption();
        var command = new Command("results", "Analyse an experiment's stored events: the dashboard table or the results document") { key, format, verbose };
        command.SetAction(async (parse, ct) =>
        {
            var (experiments, events) = context.OpenStoresToRead(parse);
            var experiment = await CliContext.FindAsync(experiments, parse.GetValue(key)!, ct).ConfigureAwait(false);
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

        return ExperimentAnalyzer.Analyze(aggregate, AnalysisOptions.For(experiment));
    }
}
