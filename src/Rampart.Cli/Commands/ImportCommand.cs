using System.CommandLine;
using Rampart.Core.Events;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;

namespace Rampart.Cli.Commands;

/// <summary><c>rampart import FILE.jsonl</c>: all lines valid and stored in one transaction, or nothing stored.</summary>
public static class ImportCommand
{
    private const int ShownErrors = 20;

    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var file = new Argument<FileInfo>("file") { Description = "Events as JSON Lines (docs/cli.md, Events)" };
        var command = new Command("import", "Import events from a JSON Lines file; a bad line rejects the whole file") { file };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            var (experiments, events) = context.OpenStores(parse);
            var accepted = new List<ExperimentEvent>();
            var errors = new List<string>();
            var known = new Dictionary<string, ExperimentDefinition?>(StringComparer.Ordinal);
            await using (var stream = path.OpenRead())
            {
                foreach (var line in EventLineReader.Read(stream))
                {
                    if (line.Error is not null)
                    {
                        errors.Add(line.Error.Message);
                        continue;
                    }

                    var e = line.Event!;
                    if (!known.TryGetValue(e.Experiment, out var definition))
                    {
                        definition = (await experiments.FindAsync(e.Experiment, ct).ConfigureAwait(false))?.Definition;
                        known[e.Experiment] = definition;
                    }

                    var problem = definition is null ? $"line {line.Line}: experiment '{e.Experiment}' does not exist; create it first"
                        : definition.IndexOf(e.Variant) < 0 ? $"line {line.Line}: variant '{e.Variant}' is not a variant of '{e.Experiment}' ({string.Join(", ", definition.VariantNames)})"
                        : null;
                    if (problem is null)
                    {
                        accepted.Add(e);
                    }
                    else
                    {
                        errors.Add(problem);
                    }
                }
            }

            if (errors.Count > 0)
            {
                foreach (var error in errors.Take(ShownErrors))
                {
                    await context.Stderr.WriteLineAsync($"error: {error}").ConfigureAwait(false);
                }

                var more = errors.Count > ShownErrors ? $" ({errors.Count - ShownErrors} more not shown)" : "";
                throw new CliException($"{errors.Count} line(s) of {path.Name} are invalid{more}; nothing was imported");
            }

            var result = await events.AppendAsync(accepted, ct).ConfigureAwait(false);
            await context.Stdout.WriteLineAsync($"imported {result.Accepted} event(s) from {path.Name}; {result.Duplicates} duplicate(s) skipped").ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
