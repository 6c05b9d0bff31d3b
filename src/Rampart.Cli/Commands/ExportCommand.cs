using System.Buffers;
using System.CommandLine;
using System.Text;
using System.Text.Json;
using Rampart.Core.Events;

namespace Rampart.Cli.Commands;

/// <summary><c>rampart export KEY [--format jsonl]</c>: an experiment's events as JSON Lines, the import format.</summary>
public static class ExportCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var key = new Argument<string>("key") { Description = "The experiment's key" };
        var format = new Option<string>("--format") { Description = "Output format", DefaultValueFactory = _ => "jsonl" };
        format.AcceptOnlyFromAmong("jsonl");
        var command = new Command("export", "Write an experiment's events as JSON Lines to standard output") { key, format };
        command.SetAction(async (parse, ct) =>
        {
            var (experiments, events) = context.OpenStoresToRead(parse);
            var experiment = await CliContext.FindAsync(experiments, parse.GetValue(key)!, ct).ConfigureAwait(false);
            await context.ThrowIfPrunedAsync(parse, experiment.Key, "an export", ct).ConfigureAwait(false);
            var buffer = new ArrayBufferWriter<byte>();
            await using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = EventLineWriter.Encoder });
            await foreach (var e in events.ReadAsync(experiment.Key, ct).ConfigureAwait(false))
            {
                EventLineWriter.Write(writer, e);
                await writer.FlushAsync(ct).ConfigureAwait(false);
                await context.Stdout.WriteAsync(Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n").ConfigureAwait(false);
                buffer.ResetWrittenCount();
                writer.Reset(buffer);
            }

            await context.Stdout.FlushAsync(ct).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
