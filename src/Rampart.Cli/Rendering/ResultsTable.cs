using System.Globalization;
using Rampart.Analysis.Results;
using Spectre.Console;

namespace Rampart.Cli.Rendering;

/// <summary>
/// The seed's dashboard as a terminal table: variant, traffic, primary score, latency p50/p95, cost per query, error rate and
/// p-value, with ⬆/⬇ against the control and ✓ where the difference is significant; then the sample-ratio check and the
/// recommendation with its reasons.
/// </summary>
public static class ResultsTable
{
    /// <summary>Writes <paramref name="document"/>; <paramref name="score"/> is the primary score, <paramref name="alpha"/> the significance level.</summary>
    public static void Write(IAnsiConsole console, ResultsDocument document, string score, double alpha)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(document);
        console.MarkupLine($"[bold]{Markup.Escape(document.Experiment)}[/]: control [bold]{Markup.Escape(document.Control)}[/], primary score {Markup.Escape(score)}");
        var table = new Table().AddColumns(
            "variant", "traffic", Markup.Escape(score), "latency p50 / p95", "cost / query", "error rate", "p-value");
        var totalUnits = document.Variants.Sum(v => v.Units);
        foreach (var variant in document.Variants)
        {
            var vs = variant.VsControl;
            var mean = variant.Scores.GetValueOrDefault(score)?.Mean;
            table.AddRow(
                Markup.Escape(variant.Name) + (vs is null && variant.Name != "control" ? " [dim](control)[/]" : ""),
                Traffic(variant, document.Srm, totalUnits),
                Cell(mean is { } m ? m.ToString("0.000", CultureInfo.InvariantCulture) : "-", vs?.GetValueOrDefault(score), alpha, higherIsBetter: true),
                Cell(Latency(variant.LatencyMs), vs?.GetValueOrDefault("latency_ms"), alpha, higherIsBetter: false),
                Cell(variant.CostUsd.Mean is { } c ? "$" + c.ToString("0.00000", CultureInfo.InvariantCulture) : "-", vs?.GetValueOrDefault("cost_usd"), alpha, higherIsBetter: false),
                Cell(variant.ErrorRate is { } e ? Percent(e) : "-", vs?.GetValueOrDefault("error_rate"), alpha, higherIsBetter: false),
                vs is null ? "" : P(vs.GetValueOrDefault(score)?.PValueClusteredHolm, alpha));
        }

        console.Write(table);
        console.MarkupLine(
            $"[dim]⬆/⬇ against the control, ✓ significant (p_value_clustered_holm < {alpha.ToString(CultureInfo.InvariantCulture)}); " +
            $"p-value: {Markup.Escape(score)}, per-unit delta method, Holm-adjusted across variants (what promotion uses).[/]");
        console.MarkupLine(Srm(document.Srm));
        var action = document.Recommendation.Action switch
        {
            RecommendedAction.Rollback => "[red bold]ROLL BACK[/]",
            RecommendedAction.Promote => "[green bold]PROMOTE[/]",
            _ => "[bold]CONTINUE[/]",
        };
        var target = document.Recommendation.Variant is { } v ? " " + Markup.Escape(v) : "";
        console.MarkupLine($"Recommendation: {action}{target}");
        foreach (var reason in document.Recommendation.Reasons)
        {
            console.MarkupLine($"  • {Markup.Escape(reason)}");
        }
    }

    private static string Traffic(VariantResult variant, SrmResult srm, long totalUnits)
    {
        var share = totalUnits > 0 ? Percent((double)variant.Units / totalUnits, "0.0") : "-";
        var expected = srm.ExpectedWeights.TryGetValue(variant.Name, out var w) ? $"; weight {w.ToString("0.##", CultureInfo.InvariantCulture)}%" : "";
        return $"{variant.Units.ToString("N0", CultureInfo.InvariantCulture)} units ({share}{expected})";
    }

    private static string Latency(LatencyResult latency) =>
        latency.P50 is { } p50 && latency.P95 is { } p95
            ? $"{p50.ToString("0", CultureInfo.InvariantCulture)} / {p95.ToString("0", CultureInfo.InvariantCulture)} ms"
            : "-";

    // The value, then for a variant its direction against the control, the relative lift and ✓ when significant; coloured
    // green when better and significant, red when worse and significant.
    private static string Cell(string value, MetricComparison? comparison, double alpha, bool higherIsBetter)
    {
        if (comparison?.Diff is not { } diff)
        {
            return Markup.Escape(value);
        }

        var arrow = diff > 0 ? "⬆" : diff < 0 ? "⬇" : "=";
        var lift = comparison.Lift is { } l ? " " + (l >= 0 ? "+" : "") + Percent(l, "0.0") : "";
        var significant = comparison.PValueClusteredHolm < alpha;
        var text = $"{Markup.Escape(value)} {arrow}{lift}{(significant ? " ✓" : "")}";
        if (!significant || diff == 0)
        {
            return text;
        }

        return (diff > 0) == higherIsBetter ? $"[green]{text}[/]" : $"[red]{text}[/]";
    }

    private static string P(double? p, double alpha) => p switch
    {
        null => "-",
        < 0.0001 => "< 0.0001 ✓",
        { } v => v.ToString("0.0000", CultureInfo.InvariantCulture) + (v < alpha ? " ✓" : ""),
    };

    private static string Srm(SrmResult srm)
    {
        var expected = string.Join(", ", srm.ExpectedWeights.Select(w => $"{Markup.Escape(w.Key)} {w.Value.ToString("0.##", CultureInfo.InvariantCulture)}%"));
        return srm.PValue switch
        {
            null => $"Sample ratio: not checked (expected {expected}).",
            { } p when srm.Mismatch => $"Sample ratio: [red bold]MISMATCH[/] (p = {p.ToString("G3", CultureInfo.InvariantCulture)} < 0.001 against {expected}): the split is not the configured one; nothing will be promoted.",
            { } p => $"Sample ratio: no mismatch (p = {p.ToString("0.000", CultureInfo.InvariantCulture)} against {expected}).",
        };
    }

    private static string Percent(double rate, string format = "0.00") => (rate * 100).ToString(format, CultureInfo.InvariantCulture) + "%";
}
