namespace Rampart.Llm.Remote;

/// <summary>Where a remote-mode app finds its Rampart server, and how it uploads events.</summary>
public sealed class RampartClientOptions
{
    /// <summary>The server's base address (<c>http://127.0.0.1:5080</c>, or <c>https://host/rampart</c> behind a proxy).</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>An ingest key (or admin); sent as <c>Authorization: Bearer</c>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How long after the first queued event a batch is sent at the latest (at most 1 hour).</summary>
    /// <value>Default: 200 ms.</value>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The most events sent in one request (1 to 100000).</summary>
    /// <value>Default: 1000.</value>
    public int MaxBatch { get; set; } = 1_000;

    /// <summary>The most events waiting to be sent (<see cref="MaxBatch"/> to 10000000); beyond, <c>WriteAsync</c> throws.</summary>
    /// <value>Default: 100000.</value>
    public int MaxQueue { get; set; } = 100_000;

    /// <summary>
    /// The most bytes the waiting events' text may take (counted as UTF-16: messages, answers, errors; 1 KiB to 1 TiB); beyond,
    /// <c>WriteAsync</c> throws. So an outage holds at most this much, however long the callers' messages are.
    /// </summary>
    /// <value>Default: 67108864 (64 MiB).</value>
    public long MaxQueueBytes { get; set; } = 64L << 20;

    /// <summary>
    /// How long disposing the sink keeps sending what is queued (at most 1 hour); what is still unsent then is counted as lost
    /// and logged, so a host stopping during an outage is not held up by it.
    /// </summary>
    /// <value>Default: 10 seconds.</value>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Attempts per batch, 1 to 100, when the server fails (a 5xx other than 502, 503 and 504) or gives a 2xx that is not its
    /// answer; then the batch is counted as lost. An outage (no answer, 502, 503, 504, 429) is retried in rounds of this many
    /// attempts until it ends: the events wait in the queue (<see cref="MaxQueue"/>, <see cref="MaxQueueBytes"/>).
    /// </summary>
    /// <value>Default: 8.</value>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The first retry's delay (at most 10 s), doubled each time up to 10 s (a <c>Retry-After</c> from the server wins, up to a minute).</summary>
    /// <value>Default: 200 ms.</value>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The server's <paramref name="path"/> under <see cref="BaseAddress"/>, whether or not it ends with a slash: a server
    /// behind a proxy at <c>http://host/rampart</c> is asked at <c>http://host/rampart/api/…</c>, not <c>http://host/api/…</c>.
    /// </summary>
    internal Uri Resolve(string path) => new(BaseAddress!.AbsoluteUri.TrimEnd('/') + "/" + path);

    /// <summary>Every problem with these options; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (BaseAddress is not { IsAbsoluteUri: true } || BaseAddress.Scheme is not ("http" or "https"))
        {
            problems.Add("BaseAddress must be the server's absolute http(s) address, e.g. http://127.0.0.1:5080.");
        }

        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            problems.Add("ApiKey must be an ingest key (`rampart keys create --scope ingest --name APP`).");
        }

        // Upper bounds too: a longer wait than a timer takes, or a batch list too large to allocate, would end the upload
        // at the first event instead of stopping the app here.
        if (FlushInterval <= TimeSpan.Zero || FlushInterval > TimeSpan.FromHours(1))
        {
            problems.Add($"FlushInterval is {FlushInterval}; it must be above zero and at most 1 hour.");
        }

        if (MaxBatch is < 1 or > 100_000)
        {
            problems.Add($"MaxBatch is {MaxBatch}; it must be from 1 to 100000.");
        }

        if (MaxQueue < MaxBatch || MaxQueue > 10_000_000)
        {
            problems.Add($"MaxQueue is {MaxQueue}; it must be at least MaxBatch ({MaxBatch}) and at most 10000000.");
        }

        if (MaxQueueBytes is < 1024 or > 1L << 40)
        {
            problems.Add($"MaxQueueBytes is {MaxQueueBytes}; it must be from 1024 to 1099511627776 (1 TiB).");
        }

        if (MaxAttempts is < 1 or > 100)
        {
            problems.Add($"MaxAttempts is {MaxAttempts}; it must be from 1 to 100.");
        }

        if (RetryDelay < TimeSpan.Zero || RetryDelay > TimeSpan.FromSeconds(10))
        {
            problems.Add($"RetryDelay is {RetryDelay}; it must be from 0 to 10 seconds (retries wait at most 10 s).");
        }

        if (ShutdownTimeout < TimeSpan.Zero || ShutdownTimeout > TimeSpan.FromHours(1))
        {
            problems.Add($"ShutdownTimeout is {ShutdownTimeout}; it must be from 0 to 1 hour.");
        }

        return problems;
    }
}
