using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Rampart.Server;
using Rampart.Server.Access;
using Rampart.Server.Threading;

namespace Rampart.Cli.Commands;

/// <summary>
/// <c>rampart serve [--urls http://127.0.0.1:5080] [--config rampart.json] [--db PATH | --postgres CONNSTRING]</c>: runs the server (gateway,
/// APIs, event writer) until Ctrl+C or SIGTERM, then drains the event queue. A bad configuration stops it at once with a
/// message naming the key.
/// </summary>
public static class ServeCommand
{
    /// <summary>Where the server listens when <c>--urls</c> is not given.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen (semicolon-separated URLs)", DefaultValueFactory = _ => DefaultUrls };
        var config = new Option<string?>("--config") { Description = "The configuration file (rampart.json in the working folder by default, when it exists)" };
        var command = new Command("serve", "Run the Rampart server: the OpenAI-compatible gateway, the data and control plane APIs, metrics") { urls, config };
        command.SetAction(async (parse, ct) =>
        {
            List<string> args = ["--urls", parse.GetValue(urls)!];
            if (parse.GetValue(config) is { } file)
            {
                args.AddRange(["--config", file]);
            }

            // --db has a default for every other command; the server's own default (storage.sqlite) wins unless it is given.
            if (context.UsesPostgres(parse))
            {
                args.AddRange(["--postgres", parse.GetValue(context.Postgres)!]);
            }
            else if (parse.GetResult(context.Db) is { Implicit: false })
            {
                args.AddRange(["--db", parse.GetValue(context.Db)!]);
            }

            await RunAsync(context, [.. args], ct).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>Runs the server with <paramref name="args"/> until Ctrl+C or SIGTERM (also <c>rampart demo --serve</c>).</summary>
    internal static async Task RunAsync(CliContext context, string[] args, CancellationToken cancellationToken)
    {
        try
        {
            await using var app = RampartServer.Build(args, builder => builder.Services.AddSingleton(new ServerConsole(context.Stdout)));
            // Before the first socket operation, and only in rampart's own process: the switch is the whole process's
            // (server.inline_io in docs/configuration.md).
            var inline = context.OwnsProcess && InlineIo.ApplyToProcess(app.Services) ? "; gateway calls on the socket threads (server.inline_io)" : "";
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            await context.Stderr.WriteLineAsync(
                $"rampart serving on {string.Join(", ", app.Urls)} (dashboard: {app.Urls.FirstOrDefault()}/){inline}; Ctrl+C stops it").ConfigureAwait(false);
            try
            {
                await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C: stop as SIGTERM would, draining the event queue.
            }

            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (OptionsValidationException e)
        {
            throw new CliException($"the configuration is invalid:{Environment.NewLine}{string.Join(Environment.NewLine, e.Failures.Select(f => "- " + f))}");
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or FormatException)
        {
            throw new CliException($"the configuration file cannot be read: {e.Message}");
        }
        catch (IOException e) when (e.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
        {
            throw new CliException($"cannot listen: {e.Message}; choose another port with --urls");
        }
    }
}
