using System.CommandLine;
using Rampart.Analysis.Results;
using Rampart.Analysis.Segments;

namespace Rampart.Cli.Rendering;

/// <summary>The <c>--format table|json</c> option of <c>analyze</c> and <c>results</c>, and writing a document in it.</summary>
public static class ResultsOutput
{
    /// <summary>Creates the option: <c>table</c> by default.</summary>
    public static Option<string> FormatOption()
    {
        var format = new Option<string>("--format") { Description = "table (the dashboard's table) or json (the results document, docs/statistics.md)", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        return format;
    }

    /// <summary>Creates the <c>--verbose</c> option: every detail of the recommendation, not only the reasons that decide it.</summary>
    public static Option<bool> VerboseOption() =>
        new("--verbose") { Description = "Show every detail behind the recommendation (each criterion, notes, values that could not be computed), not only the reasons that decide it" };

    /// <summary>Writes the document as JSON (exactly the results document) or as the terminal table, with the recommendation's details when <paramref name="verbose"/>.</summary>
    public static async Task WriteAsync(CliContext context, ResultsDocument document, string format, string score, double alpha, bool verbose = false)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (format == "json")
        {
            await context.Stdout.WriteLineAsync(ResultsJson.Serialize(document)).ConfigureAwait(false);
        }
        else
        {
            ResultsTable.Write(context.Console, document, score, alpha, verbose);
        }

        await context.Stdout.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>Writes per-segment results as JSON (exactly the document) or as one table per segment.</summary>
    public static async Task WriteAsync(CliContext context, SegmentedResults results, string format, bool verbose = false)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (format == "json")
        {
            await context.Stdout.WriteLineAsync(SegmentedResultsJson.Serialize(results)).ConfigureAwait(false);
        }
        else
        {
            SegmentedTable.Write(context.Console, results, verbose);
        }

        await context.Stdout.FlushAsync().ConfigureAwait(false);
    }
}
