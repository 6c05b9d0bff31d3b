using System.CommandLine;
using Rampart.Cli.Commands;
using Rampart.Core.Experiments;

namespace Rampart.Cli.Demo;

/// <summary>
/// <c>rampart demo [--db PATH] [--serve [--urls URL]] [--seed N]</c>: the seed's whole story on the built-in simulated
/// provider and the embedded SQLite store (or PostgreSQL with <c>--postgres</c>), no network, no key: stages advanced by the monitor, an injected fault rolled back
/// with an alert, the winner promoted; then the results table, the recommendation and the audit trail. The database is
/// kept (<c>./rampart.db</c> unless <c>--db</c> says otherwise), so <c>rampart experiments show</c> and <c>rampart results</c>
/// can look at it afterwards; <c>--serve</c> goes on to serve it (API, gateway, dashboard) until Ctrl+C.
/// </summary>
public static class DemoCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var serve = new Option<bool>("--serve") { Description = "Keep serving the database afterwards (gateway, API, dashboard) until Ctrl+C" };
        var urls = new Option<string>("--urls") { Description = "Where --serve listens", DefaultValueFactory = _ => ServeCommand.DefaultUrls };
        var seed = new Option<ulong>("--seed") { Description = "The simulation's seed: the same seed tells the same story", DefaultValueFactory = _ => 42 };
        var command = new Command("demo", "The seed's story on simulated users: stages, an automatic rollback with an alert, the winner promoted, results and audit")
        {
            serve, urls, seed,
        };
        command.SetAction(async (parse, ct) =>
        {
            var (experiments, events) = context.OpenStores(parse);
            var story = new DemoStory(context, experiments, events, new ConsoleAlertSink(context.Console));
            var key = await story.RunAsync(LoadDefinition(), parse.GetValue(seed), ct).ConfigureAwait(false);
            string[] storage = context.UsesPostgres(parse) ? ["--postgres", parse.GetValue(context.Postgres)!] : ["--db", parse.GetValue(context.Db)!];
            var again = context.UsesPostgres(parse) ? "--postgres …" : string.Join(' ', storage);
            await context.Stdout.WriteLineAsync(
                $"the story is kept: `rampart experiments show {key} {again}` and `rampart results {key} {again}` look at it again").ConfigureAwait(false);
            if (parse.GetValue(serve))
            {
                await context.Stdout.FlushAsync(ct).ConfigureAwait(false);
                await ServeCommand.RunAsync(context, ["--urls", parse.GetValue(urls)!, .. storage], ct).ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }

    private static ExperimentDefinition LoadDefinition()
    {
        using var stream = typeof(DemoCommand).Assembly.GetManifestResourceStream("Rampart.Cli.Demo.prompt-opt-v2.json")
            ?? throw new InvalidOperationException("The demo experiment is missing from the build.");
        using var reader = new StreamReader(stream);
        return ExperimentDefinitionJson.Parse(reader.ReadToEnd());
    }
}
