using System.CommandLine;
using Rampart.Core.Access;
using Rampart.Core.Events;
using Rampart.Core.Rollouts;
using Rampart.Storage;
using Spectre.Console;

namespace Rampart.Cli;

/// <summary>What every command shares: the output streams, the clock and the store options.</summary>
public sealed class CliContext
{
    /// <summary>The name audit entries record for changes made from the command line.</summary>
    public const string Who = "cli";

    // The database the running command opened: one per command, however many of its stores the command asks for.
    private RampartStores? opened;

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

    /// <summary>
    /// True when the commands run as the <c>rampart</c> executable's own process, so they may change what is the whole
    /// process's (<c>rampart serve</c> turns on the runtime's inline socket completions); false when another program hosts
    /// them (the tests), whose other work must not change under it.
    /// </summary>
    public bool OwnsProcess { get; init; }

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
        Description = "The SQLite database file (demo keeps its own, rampart-demo.db, unless this is given)",
        DefaultValueFactory = _ => "rampart.db",
        Recursive = true,
    };

    /// <summary><c>--postgres CONNSTRING</c>: the PostgreSQL database several servers share, instead of the SQLite file.</summary>
    public Option<string?> Postgres { get; } = new("--postgres")
    {
        Description = "An Npgsql connection string (Host=…;Database=…;Username=…): use the PostgreSQL database instead of the SQLite file",
        Recursive = true,
    };

    /// <summary>True when the command line names a PostgreSQL database; throws when it names both backends.</summary>
    public bool UsesPostgres(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var postgres = parse.GetValue(Postgres);
        if (postgres is null)
        {
            return false;
        }

        if (parse.GetResult(Db) is { Implicit: false })
        {
            throw new CliException("--db and --postgres are both given; give one: --db PATH for a SQLite file, --postgres CONNSTRING for PostgreSQL");
        }

        if (string.IsNullOrWhiteSpace(postgres))
        {
            throw new CliException("--postgres needs an Npgsql connection string, such as 'Host=127.0.0.1;Database=rampart;Username=rampart'");
        }

        return true;
    }

    /// <summary>Opens the stores the command line points at (closed when the command ends); a new SQLite file is created.</summary>
    public (IExperimentStore Experiments, IEventStore Events) OpenStores(ParseResult parse)
    {
        var stores = Open(parse, existing: false);
        return (stores.Experiments, stores.Events);
    }

    /// <summary>
    /// Opens the stores for a command that only reads: a SQLite file that does not exist is an error naming it, since
    /// creating it would only hide a mistyped <c>--db</c> behind an empty answer.
    /// </summary>
    public (IExperimentStore Experiments, IEventStore Events) OpenStoresToRead(ParseResult parse)
    {
        var stores = Open(parse, existing: true);
        return (stores.Experiments, stores.Events);
    }

    /// <summary>
    /// Throws when events of <paramref name="experiment"/> were pruned: its stored events are then not all of them, and
    /// what <paramref name="reading"/> would compute from them would leave the pruned ones out.
    /// </summary>
    public async Task ThrowIfPrunedAsync(ParseResult parse, string experiment, string reading, CancellationToken cancellationToken)
    {
        if (await Open(parse, existing: true).Retention.IsPrunedAsync(experiment, cancellationToken).ConfigureAwait(false))
        {
            throw new CliException($"events of '{experiment}' were pruned (rampart events prune), so {reading} from the stored events would leave them out; "
                + $"the server's results still count them: GET /api/experiments/{experiment}/results");
        }
    }

    /// <summary>Opens the key store the command line points at.</summary>
    public IKeyStore OpenKeys(ParseResult parse) => Open(parse, existing: false).Keys;

    /// <summary>Opens the store of the events the results follower set aside, on the database the command line points at (which must exist).</summary>
    public IQuarantineStore OpenQuarantine(ParseResult parse) => Open(parse, existing: true).Quarantine;

    /// <summary>Opens the store of feedback waiting for its call (and the count of expired feedback), on the database the command line points at.</summary>
    public IPendingFeedbackStore OpenPendingFeedback(ParseResult parse) => Open(parse, existing: false).PendingFeedback;

    /// <summary>Opens every store of the existing database the command line points at (checkpoints, retention, the feed).</summary>
    public RampartStores OpenExisting(ParseResult parse) => Open(parse, existing: true);

    /// <summary>Opens the stores in the SQLite file <paramref name="path"/>.</summary>
    public static (IExperimentStore Experiments, IEventStore Events) OpenStores(string path)
    {
        var stores = RampartStorage.Open(new StorageOptions { SqlitePath = path });
        return (stores.Experiments, stores.Events);
    }

    /// <summary>Closes the database the command opened (PostgreSQL's connections).</summary>
    public async ValueTask CloseAsync()
    {
        if (opened is { } stores)
        {
            opened = null;
            await stores.DisposeAsync().ConfigureAwait(false);
        }
    }

    private string ExistingSqlitePath(ParseResult parse)
    {
        var path = parse.GetValue(Db)!;
        if (!File.Exists(path))
        {
            throw new CliException(parse.GetResult(Db) is { Implicit: false }
                ? $"--db '{path}': no such database file ({Path.GetFullPath(path)}); check the path (a command that only reads creates no database)"
                : $"no database file {path} in the working folder ({Path.GetFullPath(path)}); give --db PATH, or run the command where the database is (rampart serve and rampart experiments create make one)");
        }

        return path;
    }

    /// <summary>Every store of the database the command line names (opened once per command); with <paramref name="existing"/>, a SQLite file must exist.</summary>
    private RampartStores Open(ParseResult parse, bool existing)
    {
        var options = UsesPostgres(parse)
            ? new StorageOptions { PostgresConnectionString = parse.GetValue(Postgres) }
            : new StorageOptions { SqlitePath = existing ? ExistingSqlitePath(parse) : parse.GetValue(Db)! };
        if (opened is { } open)
        {
            return open;
        }

        try
        {
            return opened = RampartStorage.Open(options);
        }
        catch (ArgumentException e) when (options.UsesPostgres)
        {
            throw new CliException($"--postgres: {e.Message}");
        }
    }

    /// <summary>The experiment <paramref name="key"/>, or an error naming it.</summary>
    public static async Task<Experiment> FindAsync(IExperimentStore store, string key, CancellationToken cancellationToken) =>
        await store.FindAsync(key, cancellationToken).ConfigureAwait(false) ?? throw new ExperimentNotFoundException(key);
}
