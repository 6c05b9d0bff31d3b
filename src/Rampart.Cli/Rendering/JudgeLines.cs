using System.Globalization;
using Rampart.Analysis.Results;
using Spectre.Console;

namespace Rampart.Cli.Rendering;

/// <summary>
/// Under the results table, one line per judge: its model, what judging each variant cost (kept apart from the variants' cost per
/// query) and its calibration against the primary score (Pearson's r, Cohen's κ, the pairs), or why calibration is missing.
/// </summary>
internal static class JudgeLines
{
    public static void Write(IAnsiConsole console, IReadOnlyList<JudgeResult> judges)
    {
        foreach (var judge in judges)
        {
            var costs = string.Join(", ", judge.Variants.Select(v => $"{Markup.Escape(v.Key)} ${v.Value.CostUsd.ToString("0.00##", CultureInfo.InvariantCulture)}"));
            var model = judge.Model is { } m ? $" ({Markup.Escape(m)})" : "";
            console.MarkupLine($"Judge [bold]{Markup.Escape(judge.Name)}[/]{model}: cost {costs}; {Calibration(judge.Calibration)}");
        }
    }

    private static string Calibration(CalibrationResult c)
    {
        var n = c.N.ToString("N0", CultureInfo.InvariantCulture);
        if (c.Correlation is null && c.Kappa is null)
        {
            return $"calibration vs {Markup.Escape(c.Against)}: [dim]{Markup.Escape(c.Reason ?? "not computed")}[/]";
        }

        var text = $"calibration vs {Markup.Escape(c.Against)}: r {Figure(c.Correlation)}, κ {Figure(c.Kappa)}, n {n}";
        return c.Reason is { } reason ? $"{text} [dim]({Markup.Escape(reason)})[/]" : text;
    }

    private static string Figure(double? value) => value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "-";
}
