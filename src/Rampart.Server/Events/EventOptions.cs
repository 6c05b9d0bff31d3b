using Rampart.Storage;

namespace Rampart.Server.Events;

/// <summary>The <c>events</c> section (docs/configuration.md): the queue events wait in, its writer and the local journal.</summary>
public sealed class EventOptions
{
    /// <summary>How many events may wait for the writer before requests get 503 (<c>events.queue_capacity</c>).</summary>
    /// <value>Default: 100000.</value>
    public int QueueCapacity { get; set; } = 100_000;

    /// <summary>The most gateway events written in one transaction (<c>events.max_batch</c>).</summary>
    /// <value>Default: 5000.</value>
    public int MaxBatch { get; set; } = 5_000;

    /// <summary>
    /// How many transactions of batches whose senders await the commit (<c>/api/events</c>, <c>/api/feedback</c>) the
    /// writer keeps open at once (<c>events.writers</c>); null for the default, see <see cref="WritersFor"/>.
    /// </summary>
    public int? Writers { get; set; }

    /// <summary>
    /// <see cref="Writers"/>, or by default 2 on PostgreSQL (whose appends copy side by side and take turns only to
    /// commit) and 1 on SQLite (one writer at a time: a second transaction would only wait for the first).
    /// </summary>
    public int WritersFor(StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return Writers ?? (storage.UsesPostgres ? 2 : 1);
    }

    /// <summary>
    /// How long the writer waits for more gateway events before committing a lone call's events (<c>events.gateway_linger</c>;
    /// <c>0ms</c> commits at once).
    /// </summary>
    /// <value>Default: 10ms.</value>
    public TimeSpan GatewayLinger { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The <c>Retry-After</c> of a 503 for a full queue, in seconds (<c>events.retry_after_seconds</c>).</summary>
    /// <value>Default: 1.</value>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>
    /// The local journal gateway events are kept in while the store fails, replayed when it returns (<c>events.journal_path</c>);
    /// null for the default, see <see cref="JournalFile"/>.
    /// </summary>
    /// <value>Default: null.</value>
    public string? JournalPath { get; set; }

    /// <summary>
    /// The most bytes the journal may hold (<c>events.journal_max_bytes</c>); when it is full and the store still fails,
    /// calls that record events get 503.
    /// </summary>
    /// <value>Default: 256 MiB.</value>
    public long JournalMaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// The journal's file: <see cref="JournalPath"/>, or by default beside the SQLite file (<c>rampart.db-events.journal</c>),
    /// or <c>rampart-events.journal</c> in the working folder with PostgreSQL. A server whose journal is the default takes the
    /// next free slot (<c>PATH.2</c>…) when another server on the machine holds the file.
    /// </summary>
    public string JournalFile(StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return JournalPath ?? (storage.UsesPostgres ? PostgresJournal : storage.SqlitePath + JournalSuffix);
    }

    /// <summary>What the default journal path adds to the SQLite file's.</summary>
    internal const string JournalSuffix = "-events.journal";

    /// <summary>The default journal with PostgreSQL, in the working folder.</summary>
    internal const string PostgresJournal = "rampart-events.journal";
}
