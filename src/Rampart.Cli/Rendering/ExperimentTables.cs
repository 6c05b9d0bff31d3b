using System.Globalization;
using Rampart.Core.Audit;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Rampart.Cli.Rendering;

/// <summary>Terminal tables for experiments: the list, and one experiment in full.</summary>
public static class ExperimentTables
{
    /// <summary>One row per experiment: state, stage, traffic split, rolled-back variants.</summary>
    public static Table List(IEnumerable<Experiment> experiments)
    {
        ArgumentNullException.ThrowIfNull(experiments);
        var table = new Table().AddColumns("key", "name", "state", "stage", "traffic", "rolled back", "last change");
        foreach (var e in experiments)
        {
            table.AddRow(
                Markup.Escape(e.Key), Markup.Escape(e.Name()), State(e), Stage(e),
                Markup.Escape(Split(e)), Markup.Escape(e.RolledBack.Count == 0 ? "-" : string.Join(", ", e.RolledBack.Keys)),
                Time(e.Current.At));
        }

        return table;
    }

    /// <summary>Writes an experiment's variants, stage plan, allocation history and audit trail.</summary>
    public static void Show(IAnsiConsole console, Experiment experiment, IReadOnlyList<AuditEntry> audit)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(audit);
        var definition = experiment.Definition;
        console.MarkupLine($"[bold]{Markup.Escape(definition.Name)}[/] ({Markup.Escape(definition.Key)}): {State(experiment)}, {Stage(experiment)}, advance {definition.Advance.ToString().ToLowerInvariant()}, primary score {Markup.Escape(definition.PrimaryScore)}");
        console.Write(Variants(experiment));
        console.Write(Plan(experiment));
        console.Write(History(experiment));
        console.Write(Audit(audit));
    }

    private static Table Variants(Experiment experiment)
    {
        var table = new Table().Title("variants").AddColumns("variant", "status", "weight now", "provider", "model", "temperature", "system prompt");
        for (var i = 0; i < experiment.Definition.Variants.Length; i++)
        {
            var variant = experiment.Definition.Variants[i];
            var status = variant.Name == experiment.Definition.Control ? "control"
                : experiment.RolledBack.TryGetValue(variant.Name, out var why) ? $"rolled back: {why}"
                : variant.Name == experiment.Winner ? "winner"
                : "active";
            table.AddRow(
                Markup.Escape(variant.Name), Markup.Escape(status), $"{experiment.CurrentWeights[i]}%",
                Markup.Escape(variant.Config.Provider), Markup.Escape(variant.Config.Model),
                variant.Config.Temperature?.ToString(CultureInfo.InvariantCulture) ?? "-",
                Markup.Escape(Shorten(variant.Config.SystemPrompt ?? "-", 60)));
        }

        return table;
    }

    private static Table Plan(Experiment experiment)
    {
        var names = experiment.Definition.VariantNames;
        var table = new Table().Title("stages").AddColumns(["stage", .. names, "min duration"]);
        for (var s = 0; s < experiment.Definition.Stages.Length; s++)
        {
            var stage = experiment.Definition.Stages[s];
            var marker = s == experiment.Stage && experiment.State != ExperimentState.Completed ? " ◀" : "";
            IRenderable[] cells =
            [
                new Text($"{s + 1}{marker}"), .. stage.Weights.Select(w => new Text($"{w}%")),
                new Text(stage.MinDuration is { } d ? DurationText.Format(d) : "-"),
            ];
            table.AddRow(cells);
        }

        return table;
    }

    private static Table History(Experiment experiment)
    {
        var table = new Table().Title("allocation history (range tables)").AddColumns("#", "when", "stage", "kind", "weights", "ranges");
        foreach (var allocation in experiment.Allocations)
        {
            var ranges = string.Join(" ", allocation.Table.ToRanges().Select(r => $"{r.Variant}[{r.Start},{r.End}){(r.RolledBack ? "*" : "")}"));
            table.AddRow(
                allocation.Index.ToString(CultureInfo.InvariantCulture), Time(allocation.At),
                allocation.Kind == AllocationKind.Promotion ? "winner" : (allocation.Stage + 1).ToString(CultureInfo.InvariantCulture),
                allocation.Kind.ToString().ToLowerInvariant(),
                Markup.Escape(StageWeights.Format(experiment.Definition.VariantNames, allocation.Table.Weights)), Markup.Escape(Shorten(ranges, 90)));
        }

        return table;
    }

    private static Table Audit(IReadOnlyList<AuditEntry> audit)
    {
        var table = new Table().Title("audit trail").AddColumns("when", "who", "action", "variant", "reason", "metrics");
        foreach (var entry in audit)
        {
            var metrics = string.Join(", ", entry.Metrics.Select(m => $"{m.Key}={m.Value.ToString("G4", CultureInfo.InvariantCulture)}"));
            table.AddRow(Time(entry.Ts), Markup.Escape(entry.Who), entry.ActionName, Markup.Escape(entry.Variant ?? "-"), Markup.Escape(entry.Reason), Markup.Escape(metrics));
        }

        return table;
    }

    private static string Name(this Experiment experiment) => experiment.Definition.Name;

    private static string State(Experiment experiment) => experiment.State switch
    {
        ExperimentState.Running => "[green]running[/]",
        ExperimentState.Paused => "[yellow]paused[/]",
        ExperimentState.Completed => $"[blue]completed[/] (winner {Markup.Escape(experiment.Winner ?? "-")})",
        _ => "draft",
    };

    private static string Stage(Experiment experiment) =>
        experiment.State == ExperimentState.Completed
            ? "winner takes all"
            : $"stage {experiment.Stage + 1} of {experiment.Definition.Stages.Length}";

    private static string Split(Experiment experiment) => StageWeights.Format(experiment.Definition.VariantNames, experiment.CurrentWeights);

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Shorten(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, length - 1), "…");
}
