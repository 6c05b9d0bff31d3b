using System.CommandLine;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;

namespace Rampart.Cli.Demo;

/// <summary><c>rampart demo</c>: the seed's experiment rolled out to simulated users on the embedded store, no network, no key.</summary>
public static class DemoCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var users = new Option<int>("--users") { Description = "How many simulated users", DefaultValueFactory = _ => 100_000 };
        var command = new Command("demo", "Roll the seed's experiment out to simulated users: stages, a rollback, a promotion, the audit trail") { users };
        command.SetAction(async (parse, ct) =>
        {
            var count = parse.GetValue(users);
            if (count is < 1 or > 10_000_000)
            {
                throw new CliException("--users must be from 1 to 10000000");
            }

            if (context.UsesPostgres(parse))
            {
                var (stores, log) = context.OpenStores(parse);
                await new DemoStory(context, stores, log, count).RunAsync(LoadDefinition(), ct).ConfigureAwait(false);
                await context.Stdout.WriteLineAsync("the demo's experiment is kept in the PostgreSQL database").ConfigureAwait(false);
                return 0;
            }

            var keep = parse.GetResult(context.Db) is { Implicit: false };
            var path = keep ? parse.GetValue(context.Db)! : Path.Combine(Path.GetTempPath(), $"rampart-demo-{Guid.NewGuid():N}.db");
            try
            {
                var (experiments, events) = CliContext.OpenStores(path);
                await new DemoStory(context, experiments, events, count).RunAsync(LoadDefinition(), ct).ConfigureAwait(false);
                await context.Stdout.WriteLineAsync(keep ? $"the database is kept in {path}" : "(the demo used a temporary database; pass --db PATH to keep it)").ConfigureAwait(false);
            }
            finally
            {
                if (!keep)
                {
                    DeleteDatabase(path);
                }
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

    private static void DeleteDatabase(string path)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }
}
