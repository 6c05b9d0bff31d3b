using System.CommandLine;
using Rampart.Core.Events;
using Rampart.Core.Rollouts;
using Rampart.Storage.Sqlite;
using Spectre.Console;

namespace Rampart.Cli;

/// <summary>What every command shares: the output streams, the clock and the store options.</summary>
public sealed class CliContext
{
    /// <summary>The name audit entries record for changes made from the command line.</summary>
    public const string Who = "cli";

    /// <summary>Creates the context.</summary>
    public CliContext(TextWriter stdout, TextWriter stderr, TimeProvider time)
    {
        Stdout = stdout;
        Stderr = stderr;
        Time = time;
        var isTerminal = ReferenceEquals(stdout, System.Console.Out) && !System.Console.IsOutputRedirected;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = isTerminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!isTerminal)
        {
            Console.Profile.Width = 160;
        }
    }

    /// <summary>Standard output, for data (one line per result).</summary>
    public TextWriter Stdout { get; }

    /// <summary>Standard error, for messages.</summary>
    public TextWriter Stderr { get; }

    /// <summary>Tables and progress, on standard output; plain when it is not a terminal.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>The clock audit entries are stamped with.</summary>
    public TimeProvider Time { get; }

    /// <summary><c>--db PATH</c>: the SQLite file, <c>./rampart.db</c> by default.</summary>
    public Option<string> Db { get; } = new("--db")
    {
        Description = "The SQLite database file",
        DefaultValueFactory = _ => "rampart.db",
        Recursive = true,
    };

    /// <summary>Opens the stores the command line points at.</summary>
    public (IExperimentStore Experiments, IEventStore Events) OpenStores(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return OpenStores(parse.GetValue(Db)!);
    }

    /// <summary>Opens the stores in the SQLite file <paramref name="path"/>.</summary>
    public static (IExperimentStore Experiments, IEventStore Events) OpenStores(string path)
    {
        var database = new SqliteDatabase(path);
        return (new SqliteExperimentStore(database), new SqliteEventStore(database));
    }

    /// <summary>The experiment <paramref name="key"/>, or an error naming it.</summary>
    public static async Task<Experiment> FindAsync(IExperimentStore store, string key, CancellationToken cancellationToken) =>
        await store.FindAsync(key, cancellationToken).ConfigureAwait(false) ?? throw new ExperimentNotFoundException(key);
}
