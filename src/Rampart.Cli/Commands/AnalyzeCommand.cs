using System.CommandLine;
using System.Globalization;
using Rampart.Analysis;
using Rampart.Analysis.Aggregation;
using Rampart.Analysis.Reading;
using Rampart.Cli.Rendering;
using Rampart.Core.Events;
using Rampart.Core.Experiments;

namespace Rampart.Cli.Commands;

/// <summary>
/// <c>rampart analyze --events FILE.jsonl [--weights control=80,variant_a=10,variant_b=10] [--control NAME] [--score NAME]
/// [--format table|json] [--verbose] [--skip-invalid] [--experiment KEY]</c>: offline analysis of a file of events, with the experiment format's default thresholds.
/// </summary>
public static class AnalyzeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var events = new Option<FileInfo>("--events") { Description = "Events as JSON Lines (docs/cli.md, Events)", Required = true };
        var weights = new Option<string>("--weights") { Description = "Expected weights for the sample-ratio test, e.g. control=80,variant_a=10,variant_b=10 (equal when omitted)" };
        var control = new Option<string>("--control") { Description = "The control variant", DefaultValueFactory = _ => "control" };
        var score = new Option<string>("--score") { Description = "The primary score", DefaultValueFactory = _ => ExperimentDefinition.DefaultPrimaryScore };
        var format = ResultsOutput.FormatOption();
        var verbose = ResultsOutput.VerboseOption();
        var skipInvalid = new Option<bool>("--skip-invalid") { Description = "Skip invalid lines, out-of-range numbers included (their count and the first problems go to standard error), instead of stopping at the first" };
        var experiment = new Option<string>("--experiment") { Description = "The experiment to analyse when the file holds several" };
        var by = new Option<string?>("--by") { Description = "Break the results down by this attribute of the exposures (docs/targeting.md, Per-segment results)" };
        var command = new Command("analyze", "Analyse a JSON Lines file of events: per-variant metrics, tests against the control, recommendation")
        {
            events, weights, control, score, format, verbose, skipInvalid, experiment, by,
        };
        command.SetAction(async (parse, ct) =>
        {
            var file = parse.GetValue(events)!;
            var read = Read(file, parse.GetValue(skipInvalid));
            var aggregate = Select(read, file, parse.GetValue(experiment));
            var options = new AnalysisOptions { Control = parse.GetValue(control)!, PrimaryScore = parse.GetValue(score)! };
            if (parse.GetValue(weights) is { } text)
            {
                var names = WeightNames(text);
                options = options with { Variants = names, Weights = [.. StageWeights.Parse(text, names, "--weights").Select(w => (double)w.Percent)] };
            }

            if (parse.GetValue(by) is { } attribute)
            {
                // A second read of the file, as events: the first validated it and chose the experiment.
                var segmented = AnalyzeSegments.Run(file, aggregate.Experiment, attribute, options);
                await ResultsOutput.WriteAsync(context, segmented, parse.GetValue(format)!, parse.GetValue(verbose)).ConfigureAwait(false);
            }
            else
            {
                var document = Analyze(aggregate, options);
                await ResultsOutput.WriteAsync(context, document, parse.GetValue(format)!, options.PrimaryScore, options.Promotion.Alpha, parse.GetValue(verbose)).ConfigureAwait(false);
            }

            if (read.SkippedLines > 0)
            {
                await ReportSkippedAsync(context, read, file, parse.GetValue(format) == "table").ConfigureAwait(false);
            }

            if (read.Duplicates > 0)
            {
                await ReportDuplicatesAsync(context, read, file, parse.GetValue(format) == "table").ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }

    private static EventFileResult Read(FileInfo file, bool skipInvalid)
    {
        try
        {
            return EventFileReader.Read(file.FullName, new EventFileOptions(QuantileMode.Exact, skipInvalid));
        }
        catch (EventFormatException e)
        {
            throw new CliException($"{e.Message} (in {file.Name}; --skip-invalid skips such lines and counts them)", e);
        }
    }

    private static ExperimentAggregate Select(EventFileResult read, FileInfo file, string? key)
    {
        var keys = string.Join(", ", read.Experiments.Select(e => e.Experiment));
        if (key is not null)
        {
            return read.Experiments.FirstOrDefault(e => e.Experiment == key)
                ?? throw new CliException($"--experiment: {file.Name} has no events of '{key}'{(keys.Length > 0 ? $"; it holds {keys}" : "")}");
        }

        return read.Experiments.Count switch
        {
            0 => throw new CliException($"{file.Name} holds no events"),
            1 => read.Experiments[0],
            _ => throw new CliException($"{file.Name} holds events of several experiments ({keys}); choose one with --experiment"),
        };
    }

    private static Analysis.Results.ResultsDocument Analyze(ExperimentAggregate aggregate, AnalysisOptions options)
    {
        try
        {
            return ExperimentAnalyzer.Analyze(aggregate, options);
        }
        catch (AnalysisException e)
        {
            var hint = e.Message.StartsWith("The control", StringComparison.Ordinal) ? " Name the control with --control."
                : e.Message.StartsWith("Variant", StringComparison.Ordinal) && options.Variants is not null ? " Give every variant a weight in --weights."
                : "";
            throw new CliException(e.Message + hint, e);
        }
    }

    // The variants named in control=80,variant_a=10,…, in order; StageWeights.Parse then checks each weight and the sum.
    private static List<string> WeightNames(string text) =>
        [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)[0].Trim()).Distinct(StringComparer.Ordinal)];

    // As import says "N duplicate(s) skipped": an event whose id an earlier line had is counted once.
    private static async Task ReportDuplicatesAsync(CliContext context, EventFileResult read, FileInfo file, bool toTable)
    {
        var line = $"{read.Duplicates.ToString(CultureInfo.InvariantCulture)} duplicate event(s) of {file.Name} skipped (an earlier line has the same id)";
        await (toTable ? context.Stdout : context.Stderr).WriteLineAsync(line).ConfigureAwait(false);
    }

    private static async Task ReportSkippedAsync(CliContext context, EventFileResult read, FileInfo file, bool toTable)
    {
        var count = read.SkippedLines.ToString(CultureInfo.InvariantCulture);
        if (toTable)
        {
            await context.Stdout.WriteLineAsync($"skipped {count} invalid line(s) of {file.Name}").ConfigureAwait(false);
        }

        await context.Stderr.WriteLineAsync($"skipped {count} invalid line(s) of {file.Name}{(read.Errors.Count < read.SkippedLines ? $"; the first {read.Errors.Count}:" : ":")}").ConfigureAwait(false);
        foreach (var error in read.Errors)
        {
            await context.Stderr.WriteLineAsync($"  {error.Message}").ConfigureAwait(false);
        }
    }
}
