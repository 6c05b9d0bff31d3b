using System.CommandLine;
using Rampart.Cli.Commands;
using Rampart.Core.Experiments;

namespace Rampart.Cli.Demo;

/// <summary>
/// <c>rampart demo [--db PATH] [--serve [--urls URL]] [--seed N]</c>: a whole staged rollout on the built-in simulated
/// provider and the embedded SQLite store (or PostgreSQL with <c>--postgres</c>), no network, no key: stages advanced by the monitor, an injected fault rolled back
/// with an alert, the winner promoted; then the results table, the recommendation and the audit trail. The database is
/// kept (<c>./rampart-demo.db</c> unless <c>--db</c> says otherwise, so the quick start's <c>./rampart.db</c> stays clean), so
/// <c>rampart experiments show</c> and <c>rampart results</c> can look at it afterwards; <c>--serve</c> goes on to serve it
/// (API, gateway, dashboard) until Ctrl+C.
/// </summary>
public static class DemoCommand
{
    /// <summary>The SQLite file the demo writes when neither <c>--db</c> nor <c>--postgres</c> is given.</summary>
    public const string DefaultDb = "rampart-demo.db";

    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var serve = new Option<bool>("--serve") { Description = "Keep serving the database afterwards (gateway, API, dashboard) until Ctrl+C" };
        var urls = new Option<string>("--urls") { Description = "Where --serve listens", DefaultValueFactory = _ => ServeCommand.DefaultUrls };
        var seed = new Option<ulong>("--seed") { Description = "The simulation's seed: the same seed tells the same story", DefaultValueFactory = _ => 42 };
        var command = new Command("demo", $"A staged rollout on simulated users: stages, an automatic rollback with an alert, the winner promoted, results and audit (kept in ./{DefaultDb} unless --db is given)")
        {
            serve, urls, seed,
        };
        command.SetAction(async (parse, ct) =>
        {
            // The demo's database is its own unless --db names one: a completed demo experiment in ./rampart.db would
            // answer the quick start's create with 409 and its gateway calls from the demo's rollout.
            var db = parse.GetResult(context.Db) is { Implicit: false } ? parse.GetValue(context.Db)! : DefaultDb;
            var (experiments, events) = context.UsesPostgres(parse) ? context.OpenStores(parse) : CliContext.OpenStores(db);
            var story = new DemoStory(context, experiments, events, new ConsoleAlertSink(context.Console));
            var key = await story.RunAsync(LoadDefinition(), parse.GetValue(seed), ct).ConfigureAwait(false);
            string[] storage = context.UsesPostgres(parse) ? ["--postgres", parse.GetValue(context.Postgres)!] : ["--db", db];
            var again = context.UsesPostgres(parse) ? "--postgres …" : string.Join(' ', storage);
            if (!context.UsesPostgres(parse))
            {
                await context.Stdout.WriteLineAsync($"the demo's database: {Path.GetFullPath(db)}").ConfigureAwait(false);
            }

            await context.Stdout.WriteLineAsync(
                $"the story is kept: `rampart experiments show {key} {again}` and `rampart results {key} {again}` look at it again, " +
                $"`rampart serve {again}` serves it (dashboard at /)").ConfigureAwait(false);
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
