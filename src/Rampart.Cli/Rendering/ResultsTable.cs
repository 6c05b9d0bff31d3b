using System.Globalization;
using Rampart.Analysis.Results;
using Spectre.Console;

namespace Rampart.Cli.Rendering;

/// <summary>
/// The dashboard as a terminal table: variant, traffic, primary score with its feedback count, latency p50/p95, cost per query,
/// error rate, each judge's score with its count, the fixed-horizon and the always-valid p-values, with ⬆/⬇ against the control
/// and ✓ where the difference is significant; then one line per judge (its cost per variant and calibration), the shadow stage's paired table when there is one, the sample-ratio check (per stage when known) and the recommendation: its action (or a completed
/// experiment's outcome) and the reasons that decide it, every detail too when verbose.
/// </summary>
public static class ResultsTable
{
    /// <summary>Writes <paramref name="document"/>; <paramref name="score"/> is the primary score, <paramref name="alpha"/> the significance level.</summary>
    public static void Write(IAnsiConsole console, ResultsDocument document, string score, double alpha, bool verbose = false)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(document);
        console.MarkupLine($"[bold]{Markup.Escape(document.Experiment)}[/]: control [bold]{Markup.Escape(document.Control)}[/], primary score {Markup.Escape(score)}");
        WriteVariants(console, document, score, alpha);
        JudgeLines.Write(console, document.Judges ?? []);
        if (document.Shadow is { } shadow)
        {
            ShadowTable.Write(console, shadow);
        }

        console.MarkupLine(Srm(document.Srm));
        foreach (var stage in document.Srm.Stages ?? [])
        {
            console.MarkupLine(SrmStage(stage));
        }

        WriteRecommendation(console, document.Recommendation, verbose);
    }

    /// <summary>The variants' table and its legend, alone: what per-segment results print for each segment.</summary>
    internal static void WriteVariants(IAnsiConsole console, ResultsDocument document, string score, double alpha, bool legend = true)
    {
        var judges = document.Judges ?? [];
        var table = new Table().AddColumns(
            ["variant", "traffic", Markup.Escape(score) + " (n)", "latency p50 / p95", "cost / query", "error rate",
             .. judges.Select(j => Markup.Escape(j.Score) + " (n)"), "p-value", "always-valid p"]);
        var totalUnits = document.Variants.Sum(v => v.Units);
        foreach (var variant in document.Variants)
        {
            var vs = variant.VsControl;
            var scored = variant.Scores.GetValueOrDefault(score);
            table.AddRow(
            [
                Markup.Escape(variant.Name) + (vs is null && variant.Name != "control" ? " [dim](control)[/]" : ""),
                Traffic(variant, document.Srm, totalUnits),
                Cell(ScoreText(scored), vs?.GetValueOrDefault(score), alpha, higherIsBetter: true),
                Cell(Latency(variant.LatencyMs), vs?.GetValueOrDefault("latency_ms"), alpha, higherIsBetter: false),
                Cell(variant.CostUsd.Mean is { } c ? "$" + c.ToString("0.00000", CultureInfo.InvariantCulture) : "-", vs?.GetValueOrDefault("cost_usd"), alpha, higherIsBetter: false),
                Cell(variant.ErrorRate is { } e ? Percent(e) : "-", vs?.GetValueOrDefault("error_rate"), alpha, higherIsBetter: false),
                .. judges.Select(j => Cell(ScoreText(variant.Scores.GetValueOrDefault(j.Score)), vs?.GetValueOrDefault(j.Score), alpha, higherIsBetter: true, lift: false)),
                vs is null ? "" : P(vs.GetValueOrDefault(score)?.PValueClusteredHolm, alpha),
                vs is null ? "" : P(vs.GetValueOrDefault(score)?.PValueSequentialHolm, alpha),
            ]);
        }

        console.Write(table);
        if (!legend)
        {
            return;
        }

        console.MarkupLine(
            $"[dim]⬆/⬇ against the control, ✓ significant (p_value_clustered_holm < {alpha.ToString(CultureInfo.InvariantCulture)}); " +
            $"p-value: {Markup.Escape(score)}, per-unit delta method, Holm-adjusted across variants, valid read once at a planned end; " +
            "always-valid p: the same difference by mSPRT, valid however often you look (what promotion uses while the experiment runs).[/]");
    }

    /// <summary>The recommendation: its action (or outcome) and deciding reasons, every detail too when <paramref name="verbose"/>.</summary>
    internal static void WriteRecommendation(IAnsiConsole console, Recommendation recommendation, bool verbose)
    {
        var action = recommendation.Action switch
        {
            RecommendedAction.Rollback => "[red bold]ROLL BACK[/]",
            RecommendedAction.Promote => "[green bold]PROMOTE[/]",
            _ => "[bold]CONTINUE[/]",
        };
        var target = recommendation.Variant is { } v ? " " + Markup.Escape(v) : "";
        console.MarkupLine(recommendation.Outcome is { } outcome ? $"Outcome: [bold]{Markup.Escape(outcome)}[/]" : $"Recommendation: {action}{target}");
        foreach (var reason in recommendation.Reasons.Skip(recommendation.Outcome is null ? 0 : 1))
        {
            console.MarkupLine($"  • {Markup.Escape(reason)}");
        }

        var details = recommendation.Details ?? [];
        if (details.Count == 0)
        {
            return;
        }

        if (!verbose)
        {
            console.MarkupLine($"[dim]  {details.Count} more detail{(details.Count == 1 ? "" : "s")}: run with --verbose.[/]");
            return;
        }

        console.MarkupLine("Details:");
        foreach (var detail in details)
        {
            console.MarkupLine($"  [dim]·[/] {Markup.Escape(detail)}");
        }
    }

    private static string ScoreText(ScoreResult? score) => score?.Mean is { } mean
        ? $"{mean.ToString("0.000", CultureInfo.InvariantCulture)} (n {score.N.ToString("N0", CultureInfo.InvariantCulture)})"
        : $"- (n {(score?.N ?? 0).ToString("N0", CultureInfo.InvariantCulture)})";

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
    // green when better and significant, red when worse and significant. Judge columns leave out the lift, so a table with a
    // judge or two still fits 160 columns without wrapping its rows further.
    private static string Cell(string value, MetricComparison? comparison, double alpha, bool higherIsBetter, bool lift = true)
    {
        if (comparison?.Diff is not { } diff)
        {
            return Markup.Escape(value);
        }

        var arrow = diff > 0 ? "⬆" : diff < 0 ? "⬇" : "=";
        var relative = lift && comparison.Lift is { } l ? " " + (l >= 0 ? "+" : "") + Percent(l, "0.0") : "";
        var significant = comparison.PValueClusteredHolm < alpha;
        var text = $"{Markup.Escape(value)} {arrow}{relative}{(significant ? " ✓" : "")}";
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

    private static string SrmStage(SrmStage stage)
    {
        var split = string.Join(", ", stage.Observed.Select(o =>
            $"{Markup.Escape(o.Key)} {o.Value.ToString("N0", CultureInfo.InvariantCulture)} vs {stage.Expected[o.Key].ToString("0.##", CultureInfo.InvariantCulture)}%"));
        var verdict = stage.PValue switch
        {
            null => "not tested",
            < SrmResult.Threshold => $"[red bold]mismatch[/] (p = {stage.PValue.Value.ToString("G3", CultureInfo.InvariantCulture)})",
            { } p => $"p = {p.ToString("0.000", CultureInfo.InvariantCulture)}",
        };
        return $"  stage {stage.Stage}: {split}: {verdict}";
    }

    private static string Srm(SrmResult srm)
    {
        if (srm.Stages is { Count: > 0 })
        {
            return srm.Mismatch
                ? $"Sample ratio, per stage: [red bold]MISMATCH[/] (p = {srm.PValue!.Value.ToString("G3", CultureInfo.InvariantCulture)} < 0.001 in a stage): the split is not the configured one; nothing will be promoted."
                : "Sample ratio, per stage (units each variant served at a stage against that stage's weights): no mismatch.";
        }

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
