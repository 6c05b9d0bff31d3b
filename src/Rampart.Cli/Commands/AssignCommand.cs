using System.CommandLine;
using Rampart.Core.Rollouts;

namespace Rampart.Cli.Commands;

/// <summary><c>rampart assign KEY UNIT... | --units-file FILE</c>: prints <c>unit&lt;TAB&gt;variant</c> per unit, in input order.</summary>
public static class AssignCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var key = new Argument<string>("key") { Description = "The experiment's key" };
        var units = new Argument<string[]>("units") { Description = "The units to assign", Arity = ArgumentArity.ZeroOrMore };
        var file = new Option<FileInfo>("--units-file") { Description = "A file with one unit per line" };
        var command = new Command("assign", "Print the variant each unit gets now (unit<TAB>variant, in input order)") { key, units, file };
        command.SetAction(async (parse, ct) =>
        {
            var given = await ReadUnitsAsync(parse.GetValue(units) ?? [], parse.GetValue(file), ct).ConfigureAwait(false);
            var (store, _) = context.OpenStoresToRead(parse);
            var assigner = new ExperimentAssigner(await CliContext.FindAsync(store, parse.GetValue(key)!, ct).ConfigureAwait(false));
            foreach (var unit in given)
            {
                await context.Stdout.WriteAsync($"{unit}\t{assigner.Assign(unit).Variant.Name}\n").ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }

    private static async Task<List<string>> ReadUnitsAsync(string[] arguments, FileInfo? file, CancellationToken ct)
    {
        if (arguments.Length > 0 && file is not null)
        {
            throw new CliException("give units as arguments or with --units-file, not both");
        }

        if (file is null)
        {
            if (arguments.Length == 0)
            {
                throw new CliException("no units given; pass them as arguments or with --units-file FILE");
            }

            var empty = Array.FindIndex(arguments, string.IsNullOrEmpty);
            return empty < 0 ? [.. arguments] : throw new CliException($"unit {empty + 1} is empty; a unit is a non-empty string such as a user id");
        }

        var lines = (await File.ReadAllTextAsync(file.FullName, ct).ConfigureAwait(false)).Split('\n');
        var count = lines.Length > 0 && lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        var units = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var unit = lines[i].TrimEnd('\r');
            units.Add(unit.Length > 0 ? unit : throw new CliException($"line {i + 1} of {file.Name} is empty; write one non-empty unit per line"));
        }

        return units;
    }
}
