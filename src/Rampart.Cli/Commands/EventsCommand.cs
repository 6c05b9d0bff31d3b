using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Rampart.Core.Events;
using Spectre.Console;

namespace Rampart.Cli.Commands;

/// <summary>
/// <c>rampart events quarantined [--limit N] [--after POSITION] [--format table|json]</c>: the stored events the results
/// follower set aside because they could not be aggregated, from the database the server uses; and
/// <c>rampart events prune --before DATE</c> (<see cref="EventsPruneCommand"/>).
/// </summary>
public static class EventsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("events", "Inspect stored events");
        command.Subcommands.Add(QuarantinedCommand(context));
        command.Subcommands.Add(EventsPruneCommand.Create(context));
        return command;
    }

    private static Command QuarantinedCommand(CliContext context)
    {
        var limit = new Option<int>("--limit") { Description = "The most events to list (1 to 1000)", DefaultValueFactory = _ => 100 };
        var after = new Option<long>("--after") { Description = "List events after this position (the 'next_after' of the page before)", DefaultValueFactory = _ => 0 };
        var format = new Option<string>("--format") { Description = "table, or json (as GET /api/events/quarantined answers)", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var command = new Command("quarantined", "List the events results set aside (counted in no result) and why") { limit, after, format };
        command.SetAction(async (parse, ct) =>
        {
            var count = parse.GetValue(limit);
            if (count is < 1 or > 1000)
            {
                throw new CliException($"--limit {count} is out of range; give a whole number from 1 to 1000");
            }

            var from = parse.GetValue(after);
            if (from < 0)
            {
                throw new CliException($"--after {from} is negative; give a position from 'next_after', or leave it out to start at the first");
            }

            var page = await context.OpenQuarantine(parse).ListAsync(from, count + 1, ct).ConfigureAwait(false);
            var shown = page.Count > count ? [.. page.Take(count)] : page;
            long? next = page.Count > count ? shown[^1].Position : null;
            if (parse.GetValue(format) == "json")
            {
                await context.Stdout.WriteLineAsync(Json(shown, next)).ConfigureAwait(false);
            }
            else if (shown.Count == 0)
            {
                await context.Stdout.WriteLineAsync(from == 0 ? "no quarantined events" : $"no quarantined events after position {from}").ConfigureAwait(false);
            }
            else
            {
                context.Console.Write(Table(shown));
                if (next is { } n)
                {
                    await context.Stdout.WriteLineAsync($"more: rampart events quarantined --after {n}").ConfigureAwait(false);
                }
            }

            await context.Stdout.FlushAsync(ct).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Table Table(IReadOnlyList<QuarantinedEvent> events)
    {
        var table = new Table().AddColumns("position", "experiment", "event id", "quarantined at", "error");
        foreach (var q in events)
        {
            table.AddRow(
                q.Position.ToString(CultureInfo.InvariantCulture), Markup.Escape(q.Experiment), Markup.Escape(q.EventId ?? "-"),
                q.QuarantinedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), Markup.Escape(q.Error));
        }

        return table;
    }

    private static string Json(IReadOnlyList<QuarantinedEvent> events, long? next)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = EventLineWriter.Encoder, Indented = true }))
        {
            QuarantinedEventJson.Write(writer, events, next);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
