using System.Globalization;
using Rampart.Analysis.Results;
using Spectre.Console;

namespace Rampart.Cli.Rendering;

/// <summary>
/// Under the results table, the shadow stage's paired comparisons (docs/shadow.md): per shadow variant its pairs, McNemar's
/// discordant counts (b shadow only failed, c control only) with the error-rate difference and the one-sided p that the shadow
/// fails more often, the latency ratios (geometric mean with its interval, median, p95), the cost difference per request and
/// the shadow spend, and per judge the paired score difference (n) and the pairwise win rate.
/// </summary>
internal static class ShadowTable
{
    public static void Write(IAnsiConsole console, ShadowResult shadow)
    {
        var judges = shadow.Variants.SelectMany(v => v.Judges.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var table = new Table().Title("shadow (paired)").AddColumns(
            ["variant", "pairs", "errors b / c", "error Δ (p worse)", "latency ratio (95% CI)", "median / p95 ratio", "cost Δ / request", "shadow spend",
             .. judges.Select(j => Markup.Escape(j) + " Δ (n)")]);
        foreach (var v in shadow.Variants)
        {
            var e = v.Errors;
            var l = v.LatencyMs;
            table.AddRow(
            [
                Markup.Escape(v.Name),
                v.Pairs.ToString("N0", CultureInfo.InvariantCulture),
                $"{e.ShadowOnly.ToString("N0", CultureInfo.InvariantCulture)} / {e.ControlOnly.ToString("N0", CultureInfo.InvariantCulture)}",
                $"{Signed(e.Difference, "0.00%")} (p {P(e.PValueShadowWorse)})",
                $"{Ratio(l.GeometricMeanRatio)} {Interval(l.GeometricMeanRatioCi95, "0.000")}",
                $"{Ratio(l.MedianRatio)} / {Ratio(l.P95Ratio)}",
                v.CostUsd.MeanDifference is { } d ? (d >= 0 ? "+$" : "-$") + Math.Abs(d).ToString("0.00000", CultureInfo.InvariantCulture) : "-",
                "$" + v.CostUsd.ShadowTotal.ToString("0.00##", CultureInfo.InvariantCulture),
                .. judges.Select(j => Judge(v.Judges.GetValueOrDefault(j))),
            ]);
        }

        console.Write(table);
        var dropped = shadow.Dropped > 0 ? $", {shadow.Dropped.ToString("N0", CultureInfo.InvariantCulture)} dropped unmatched" : "";
        console.MarkupLine(
            $"[dim]Every difference is shadow − control, every ratio shadow / control, on the same requests; p worse: McNemar's exact one-sided p " +
            $"that the shadow fails more often. {shadow.Unmatched.ToString("N0", CultureInfo.InvariantCulture)} calls wait for their pair{dropped}.[/]");
    }

    private static string Judge(ShadowJudgeResult? judge)
    {
        if (judge is null)
        {
            return "-";
        }

        var text = $"{Signed(judge.MeanDifference, "0.000")} ({judge.N.ToString("N0", CultureInfo.InvariantCulture)})";
        return judge.Preference is { WinRate: { } rate } p
            ? $"{text}, wins {rate.ToString("0%", CultureInfo.InvariantCulture)} of {p.N.ToString("N0", CultureInfo.InvariantCulture)}"
            : text;
    }

    private static string Signed(double? value, string format) => value switch
    {
        null => "-",
        { } v when format.EndsWith('%') => (v >= 0 ? "+" : "") + (v * 100).ToString(format[..^1], CultureInfo.InvariantCulture) + "%",
        { } v => (v >= 0 ? "+" : "") + v.ToString(format, CultureInfo.InvariantCulture),
    };

    private static string Ratio(double? value) => value is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "-";

    private static string Interval(IReadOnlyList<double>? interval, string format) =>
        interval is [var lower, var upper]
            ? Markup.Escape($"[{lower.ToString(format, CultureInfo.InvariantCulture)}, {upper.ToString(format, CultureInfo.InvariantCulture)}]")
            : "";

    private static string P(double? p) => p switch
    {
        null => "-",
        < 0.0001 => "< 0.0001",
        { } v => v.ToString("0.0000", CultureInfo.InvariantCulture),
    };
}
