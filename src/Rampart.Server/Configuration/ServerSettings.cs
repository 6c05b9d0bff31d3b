using Rampart.Llm.Pricing;
using Rampart.Llm.Providers;

namespace Rampart.Server.Configuration;

/// <summary>
/// The server's configuration (docs/configuration.md), read from <c>rampart.json</c>, <c>RAMPART__…</c>
/// environment variables and the command line by <see cref="ServerSettingsSetup"/>, and checked at start.
/// </summary>
public sealed class ServerSettings
{
    /// <summary>The SQLite database file (<c>storage.sqlite</c>, or <c>--db</c>). <value>rampart.db</value></summary>
    public string SqlitePath { get; set; } = "rampart.db";

    /// <summary>
    /// The PostgreSQL database shared by several servers (<c>storage.postgres</c>, or <c>--postgres</c>), an Npgsql
    /// connection string; null to use the SQLite file. <value>null</value>
    /// </summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>The largest request body accepted, in bytes (<c>server.max_body_bytes</c>). <value>4 MiB</value></summary>
    public long MaxBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>How many events may wait for the writer before requests get 503 (<c>events.queue_capacity</c>). <value>100000</value></summary>
    public int QueueCapacity { get; set; } = 100_000;

    /// <summary>The most gateway events written in one transaction (<c>events.max_batch</c>). <value>5000</value></summary>
    public int MaxBatch { get; set; } = 5_000;

    /// <summary>
    /// How long the writer waits for more gateway events before committing a lone call's events (<c>events.gateway_linger</c>;
    /// <c>0ms</c> commits at once). <value>10ms</value>
    /// </summary>
    public TimeSpan GatewayLinger { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The <c>Retry-After</c> of a 503 for a full queue, in seconds (<c>events.retry_after_seconds</c>). <value>1</value></summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>
    /// The local journal gateway events are kept in while the store fails, replayed when it returns (<c>events.journal_path</c>).
    /// <value>beside the SQLite file, <c>rampart.db-events.journal</c>; <c>rampart-events.journal</c> in the working folder with PostgreSQL</value>
    /// </summary>
    public string JournalPath { get; set; } = "rampart.db" + JournalSuffix;

    /// <summary>
    /// True when <see cref="JournalPath"/> is the default, not set by hand: a server then takes the next free slot
    /// (<c>PATH.2</c>…) when another server on the machine holds the file.
    /// </summary>
    public bool JournalPathIsDefault { get; set; } = true;

    /// <summary>
    /// The most bytes the journal may hold (<c>events.journal_max_bytes</c>); when it is full and the store still fails,
    /// calls that record events get 503. <value>256 MiB</value>
    /// </summary>
    public long JournalMaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>The provider a gateway call whose model names no experiment goes to (<c>gateway.default_provider</c>). <value>openai when configured, else sim</value></summary>
    public string DefaultProvider { get; set; } = SimulatedProviderName;

    /// <summary>How long feedback waits for its completion, counted from its <c>ts</c> (<c>feedback.pending_ttl</c>). <value>1d</value></summary>
    public TimeSpan PendingFeedbackTtl { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// The most pieces of feedback kept waiting for their completion (<c>feedback.max_pending</c>); more get 429 until
    /// some are joined or expire. <value>10000</value>
    /// </summary>
    public int MaxPendingFeedback { get; set; } = 10_000;

    /// <summary>
    /// The most bytes (UTF-8) of text — request ids, scores, comments, ids — kept in waiting feedback
    /// (<c>feedback.max_pending_bytes</c>); more get 429. <value>32 MiB</value>
    /// </summary>
    public long MaxPendingFeedbackBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>The largest whole (non-streamed) upstream answer, in bytes (<c>gateway.max_response_bytes</c>); larger is a 502. <value>8 MiB</value></summary>
    public long MaxResponseBytes { get; set; } = UpstreamLimits.DefaultMaxResponseBytes;

    /// <summary>The longest line of an upstream's event stream, in bytes (<c>gateway.max_stream_line_bytes</c>); longer fails the call. <value>1 MiB</value></summary>
    public int MaxStreamLineBytes { get; set; } = UpstreamLimits.DefaultMaxStreamLineBytes;

    /// <summary>How much of an upstream's error answer is read, in bytes (<c>gateway.max_error_body_bytes</c>). <value>64 KiB</value></summary>
    public int MaxErrorBodyBytes { get; set; } = UpstreamLimits.DefaultMaxErrorBodyBytes;

    /// <summary>The most characters of answer text stored in a completion event's <c>output</c> (<c>gateway.max_stored_output_chars</c>). <value>262144</value></summary>
    public int MaxStoredOutputChars { get; set; } = UpstreamLimits.DefaultMaxStoredOutputChars;

    /// <summary>The upstream limits above, for the providers.</summary>
    public UpstreamLimits UpstreamLimits => new()
    {
        MaxResponseBytes = MaxResponseBytes,
        MaxStreamLineBytes = MaxStreamLineBytes,
        MaxErrorBodyBytes = MaxErrorBodyBytes,
        MaxStoredOutputChars = MaxStoredOutputChars,
    };

    /// <summary>The admin key to create at first start (<c>RAMPART_ADMIN_KEY</c>), or null to generate one.</summary>
    public string? AdminKey { get; set; }

    /// <summary>The <c>providers</c> section.</summary>
    public Dictionary<string, ProviderOptions> Providers { get; } = new(StringComparer.Ordinal);

    /// <summary>The <c>pricing</c> section: prices that override or extend the built-in table.</summary>
    public Dictionary<string, ModelPrice> Pricing { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The <c>alerts</c> section: webhooks and their delivery.</summary>
    public AlertSettings Alerts { get; } = new();

    /// <summary>Every problem found while reading, each naming its key; the server does not start while there is one.</summary>
    public List<string> Problems { get; } = [];

    /// <summary>What the default journal path adds to the SQLite file's.</summary>
    internal const string JournalSuffix = "-events.journal";

    /// <summary>The default journal with PostgreSQL, in the working folder.</summary>
    internal const string PostgresJournal = "rampart-events.journal";

    private const string SimulatedProviderName = "sim";
}
