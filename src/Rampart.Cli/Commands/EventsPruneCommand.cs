using System.CommandLine;
using System.Globalization;
using Rampart.Server.Results;

namespace Rampart.Cli.Commands;

/// <summary>
/// <c>rampart events prune --before DATE [--dry-run]</c>: deletes the events stored before DATE that the newest usable
/// results checkpoint covers, so every result keeps counting them (docs/storage.md, "Retention").
/// </summary>
public static class EventsPruneCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var before = new Option<string>("--before") { Description = "Delete events with a timestamp before this date or instant (ISO 8601, UTC), e.g. 2026-09-01", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Count the events that would be deleted; delete nothing" };
        var command = new Command("prune", "Delete old events a results checkpoint covers (results keep counting them)") { before, dryRun };
        command.SetAction(async (parse, ct) =>
        {
            var text = parse.GetValue(before)!;
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var cutoff))
            {
                throw new CliException($"--before '{text}' is not a date; give an ISO 8601 date or instant such as 2026-09-01 or 2026-09-01T12:00:00Z");
            }

            if (cutoff > context.Time.GetUtcNow())
            {
                throw new CliException($"--before {text} is in the future; events not yet old cannot be pruned");
            }

            var stores = context.OpenExisting(parse);
            var (usable, refused) = await CheckpointLoader.NewestUsableAsync(stores.Checkpoints, stores.EventFeed, stores.Retention, ct).ConfigureAwait(false);
            foreach (var reason in refused)
            {
                await context.Stderr.WriteLineAsync($"not used: {reason}").ConfigureAwait(false);
            }

            if (usable is null)
            {
                throw new CliException("no usable results checkpoint: nothing was deleted. Run `rampart serve` on this database until it writes one (every checkpoints.every_events events), then prune.");
            }

            var dry = parse.GetValue(dryRun);
            var count = await stores.Retention.PruneAsync(cutoff, usable.Position, dry, ct).ConfigureAwait(false);
            var at = cutoff.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            await context.Stdout.WriteLineAsync(dry
                ? $"would delete {count} events from before {at} (up to position {usable.Position}, covered by checkpoint {usable.Id})"
                : $"deleted {count} events from before {at} (up to position {usable.Position}, covered by checkpoint {usable.Id}); results still count them").ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
