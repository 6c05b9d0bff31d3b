using System.Globalization;
using Rampart.Cli.Rendering;
using Rampart.Core.Events;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;
using Spectre.Console;

namespace Rampart.Cli.Demo;

/// <summary>
/// The demo's story: create the seed's experiment, then for each step of the rollout (stages, a rollback, a promotion)
/// assign every simulated user, record their exposures, and show the traffic split and how many users the step moved.
/// </summary>
internal sealed class DemoStory(CliContext context, IExperimentStore experiments, IEventStore events, int users)
{
    private const int Batch = 10_000;
    private readonly RolloutCommands commands = new(experiments, context.Time);
    private string[]? previous;

    public async Task RunAsync(ExperimentDefinition definition, CancellationToken ct)
    {
        definition = await FreeKeyAsync(definition, ct).ConfigureAwait(false);
        var key = definition.Key;
        var draft = Experiment.CreateDraft(definition, context.Time.GetUtcNow());
        await experiments.CreateAsync(draft, Rollout.Created(draft, "demo"), ct).ConfigureAwait(false);
        context.Console.MarkupLine($"[bold]Rampart demo[/]: '{Markup.Escape(key)}' — control vs a warmer prompt (variant_a) vs a cheaper model (variant_b), {users:N0} simulated users");

        await StepAsync("start: stage 1", key, (e, now) => Rollout.Start(e, now, "demo"), ct).ConfigureAwait(false);
        await StepAsync("advance: stage 2", key, (e, now) => Rollout.Advance(e, now, "demo"), ct).ConfigureAwait(false);
        await StepAsync("rollback variant_b", key, (e, now) => Rollout.Rollback(e, "variant_b", "demo: a guardrail breach is simulated", now, "demo"), ct).ConfigureAwait(false);
        await StepAsync("advance: stage 3 (variant_b's share goes to the control)", key, (e, now) => Rollout.Advance(e, now, "demo"), ct).ConfigureAwait(false);
        await StepAsync("promote variant_a", key, (e, now) => Rollout.Promote(e, "variant_a", now, "demo"), ct).ConfigureAwait(false);

        var final = await CliContext.FindAsync(experiments, key, ct).ConfigureAwait(false);
        ExperimentTables.Show(context.Console, final, await experiments.AuditAsync(key, ct).ConfigureAwait(false));
    }

    private async Task StepAsync(string title, string key, Func<Experiment, DateTimeOffset, RolloutChange> change, CancellationToken ct)
    {
        var result = await commands.ApplyAsync(key, change, ct).ConfigureAwait(false);
        var assigner = new ExperimentAssigner(result.Experiment);
        var names = result.Experiment.Definition.VariantNames;
        var current = new string[users];
        var counts = new int[names.Length];
        var moved = new int[names.Length, names.Length];
        var batch = new List<ExperimentEvent>(Batch);
        var now = context.Time.GetUtcNow();
        for (var i = 0; i < users; i++)
        {
            var unit = $"user-{i}";
            var assignment = assigner.Assign(unit);
            current[i] = assignment.Variant.Name;
            counts[names.IndexOf(current[i])]++;
            if (previous is not null && previous[i] != current[i])
            {
                moved[names.IndexOf(previous[i]), names.IndexOf(current[i])]++;
            }

            batch.Add(new ExperimentEvent
            {
                Type = EventType.Exposure, Experiment = key, Variant = current[i], Unit = unit, Ts = now,
                Stage = assignment.Stage, Id = $"{key}:{result.Experiment.Allocations.Length}:{unit}",
            });
            if (batch.Count == Batch)
            {
                await events.AppendAsync(batch, ct).ConfigureAwait(false);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            await events.AppendAsync(batch, ct).ConfigureAwait(false);
        }

        Render(title, result, counts, moved);
        previous = current;
    }

    private void Render(string title, RolloutChange result, int[] counts, int[,] moved)
    {
        var names = result.Experiment.Definition.VariantNames;
        var weights = result.Experiment.CurrentWeights;
        var table = new Table().Title($"[bold]{Markup.Escape(title)}[/]").AddColumns("variant", "weight", "users", "share");
        for (var v = 0; v < names.Length; v++)
        {
            table.AddRow(Markup.Escape(names[v]), $"{weights[v]}%", counts[v].ToString("N0", CultureInfo.InvariantCulture), Share(counts[v]));
        }

        context.Console.Write(table);
        if (previous is null)
        {
            return;
        }

        var total = 0;
        var flows = new List<string>();
        for (var from = 0; from < names.Length; from++)
        {
            for (var to = 0; to < names.Length; to++)
            {
                if (moved[from, to] > 0)
                {
                    total += moved[from, to];
                    flows.Add($"{names[from]} → {names[to]}: {moved[from, to]:N0}");
                }
            }
        }

        context.Console.MarkupLine(Markup.Escape($"  this step moved {total:N0} users ({Share(total)}): {(flows.Count == 0 ? "none" : string.Join("; ", flows))}"));
    }

    private string Share(int count) => (count / (double)users).ToString("P2", CultureInfo.InvariantCulture);

    private async Task<ExperimentDefinition> FreeKeyAsync(ExperimentDefinition definition, CancellationToken ct)
    {
        for (var n = 2; await experiments.FindAsync(definition.Key, ct).ConfigureAwait(false) is not null; n++)
        {
            definition = definition with { Key = $"prompt-opt-v2-{n}", Salt = $"prompt-opt-v2-{n}" };
        }

        return definition;
    }
}
