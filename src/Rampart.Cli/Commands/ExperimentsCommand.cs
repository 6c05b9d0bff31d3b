using System.CommandLine;
using Rampart.Cli.Rendering;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;

namespace Rampart.Cli.Commands;

/// <summary><c>rampart experiments create -f FILE | list | show KEY</c>.</summary>
public static class ExperimentsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("experiments", "Create, list and show experiments");
        command.Subcommands.Add(CreateCommand(context));
        command.Subcommands.Add(ListCommand(context));
        command.Subcommands.Add(ShowCommand(context));
        return command;
    }

    private static Command CreateCommand(CliContext context)
    {
        var file = new Option<FileInfo>("--file", "-f") { Description = "The experiment file (JSON; docs/experiment-format.md)", Required = true };
        var command = new Command("create", "Create an experiment (as a draft) from a JSON file") { file };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            var definition = ExperimentDefinitionJson.Parse(await File.ReadAllTextAsync(path.FullName, ct).ConfigureAwait(false));
            var experiment = Experiment.CreateDraft(definition, context.Time.GetUtcNow());
            var (store, _) = context.OpenStores(parse);
            if ((await store.ListAsync(ct).ConfigureAwait(false)).LayerConflicts(definition) is [var conflict, ..])
            {
                throw new ExperimentValidationException(conflict);
            }

            await store.CreateAsync(experiment, Rollout.Created(experiment, CliContext.Who), ct).ConfigureAwait(false);
            await context.Stdout.WriteLineAsync(
                $"created '{definition.Key}' (draft, {definition.Stages.Length} stage(s)); start it with `rampart rollout start {definition.Key}`").ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Command ListCommand(CliContext context)
    {
        var command = new Command("list", "List experiments with their state and traffic split");
        command.SetAction(async (parse, ct) =>
        {
            var (store, _) = context.OpenStoresToRead(parse);
            var (experiments, unreadable) = await store.ListAsync(ct).ConfigureAwait(false);
            if (experiments.Count > 0)
            {
                context.Console.Write(ExperimentTables.List(experiments));
            }
            else if (unreadable.Count == 0)
            {
                await context.Stdout.WriteLineAsync("no experiments; create one with `rampart experiments create -f FILE`").ConfigureAwait(false);
            }

            // The readable ones are listed all the same; each unreadable one is an error of its own, so scripts see the damage.
            foreach (var (key, reason) in unreadable)
            {
                await context.Stderr.WriteLineAsync(
                    $"error: experiment '{key}' is stored but cannot be read: {reason.TrimEnd('.')}; mend its row or restore it from a backup (docs/operations.md, \"Unreadable experiments\")").ConfigureAwait(false);
            }

            return unreadable.Count == 0 ? 0 : CliApp.UserError;
        });
        return command;
    }

    private static Command ShowCommand(CliContext context)
    {
        var key = new Argument<string>("key") { Description = "The experiment's key" };
        var command = new Command("show", "Show an experiment: variants, stages, allocation history and audit trail") { key };
        command.SetAction(async (parse, ct) =>
        {
            var (store, _) = context.OpenStoresToRead(parse);
            var experiment = await CliContext.FindAsync(store, parse.GetValue(key)!, ct).ConfigureAwait(false);
            var audit = await store.AuditAsync(experiment.Key, ct).ConfigureAwait(false);
            ExperimentTables.Show(context.Console, experiment, audit);
            return 0;
        });
        return command;
    }
}
