using System.CommandLine;
using Rampart.Analysis.Results;

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

    /// <summary>Writes the document as JSON (exactly the results document) or as the terminal table.</summary>
    public static async Task WriteAsync(CliContext context, ResultsDocument document, string format, string score, double alpha)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (format == "json")
        {
            await context.Stdout.WriteLineAsync(ResultsJson.Serialize(document)).ConfigureAwait(false);
        }
        else
        {
            ResultsTable.Write(context.Console, document, score, alpha);
        }

        await context.Stdout.FlushAsync().ConfigureAwait(false);
    }
}
