using System.Globalization;
using Rampart.Analysis.Segments;
using Spectre.Console;

namespace Rampart.Cli.Rendering;

/// <summary>
/// Per-segment results in the terminal: for each segment its name and units, the variants' table as <c>rampart results</c> prints it
/// (its p-values adjusted across the variants within the segment), then per variant the primary score's difference, its per-unit
/// p-value and that p-value Holm-adjusted across the segments, with the segment's flags; then the warnings and the recommendation.
/// </summary>
public static class SegmentedTable
{
    /// <summary>Writes <paramref name="results"/>; every detail of the recommendation when <paramref name="verbose"/>.</summary>
    public static void Write(IAnsiConsole console, SegmentedResults results, bool verbose = false)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(results);
        console.MarkupLine(
            $"[bold]{Markup.Escape(results.Experiment)}[/] by [bold]{Markup.Escape(results.By)}[/]: {results.Segments.Count} segment{(results.Segments.Count == 1 ? "" : "s")}, " +
            $"primary score {Markup.Escape(results.PrimaryScore)}; segments under {results.MinSegmentUnits.ToString("N0", CultureInfo.InvariantCulture)} units are pooled into '{SegmentedAnalyzer.Other}'.");
        foreach (var segment in results.Segments)
        {
            console.WriteLine();
            var pooled = segment.Name == SegmentedAnalyzer.Other ? $" ({Markup.Escape(string.Join(", ", segment.Values))})" : "";
            console.MarkupLine($"[bold]{Markup.Escape(results.By)} = {Markup.Escape(segment.Name)}[/]{pooled}: {segment.Units.ToString("N0", CultureInfo.InvariantCulture)} units");
            ResultsTable.WriteVariants(console, segment.Results, results.PrimaryScore, results.Alpha, legend: false);
            foreach (var variant in segment.Variants.Skip(1))
            {
                console.MarkupLine("  " + Line(variant, results.Alpha));
            }
        }

        console.WriteLine();
        console.MarkupLine(
            $"[dim]In each table ⬆/⬇ are against the control and ✓ marks p_value_clustered_holm < {results.Alpha.ToString(CultureInfo.InvariantCulture)}, Holm-adjusted " +
            "across the variants within the segment; under it, each variant's per-unit p of the segment and that p Holm-adjusted across the segments, " +
            "which the flags use (docs/targeting.md).[/]");
        foreach (var warning in results.Warnings)
        {
            console.MarkupLine($"[yellow]Warning:[/] {Markup.Escape(warning)}");
        }

        ResultsTable.WriteRecommendation(console, results.Recommendation, verbose);
    }

    private static string Line(SegmentVariantResult v, double alpha)
    {
        var diff = v.Diff is { } d ? (d >= 0 ? "+" : "") + d.ToString("0.000", CultureInfo.InvariantCulture) : "-";
        var flags = v.Flags.Count == 0 ? "" : " " + string.Join(" ", v.Flags.Select(Flag));
        return $"{Markup.Escape(v.Name)}: diff {diff}, p {P(v.PValue)}, Holm across segments {P(v.PValueHolm)}{(v.PValueHolm < alpha ? " ✓" : "")}{flags}";
    }

    private static string Flag(string flag) => flag switch
    {
        SegmentFlags.Better => "[green]better[/]",
        SegmentFlags.Worse => "[red]worse[/]",
        SegmentFlags.Harmed => "[red bold]HARMED[/] (worse here, better overall)",
        SegmentFlags.BlocksPromotion => "[red bold]BLOCKS PROMOTION[/] (beyond promotion.max_segment_drop)",
        _ => Markup.Escape(flag),
    };

    private static string P(double? p) => p switch
    {
        null => "-",
        < 0.0001 => "< 0.0001",
        { } v => v.ToString("0.0000", CultureInfo.InvariantCulture),
    };
}
