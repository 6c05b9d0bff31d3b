namespace Rampart.Llm.Remote;

/// <summary>Where a remote-mode app finds its Rampart server, and how it uploads events.</summary>
public sealed class RampartClientOptions
{
    /// <summary>The server's base address (<c>http://127.0.0.1:5080</c>).</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>An ingest key (or admin); sent as <c>Authorization: Bearer</c>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How long after the first queued event a batch is sent at the latest.</summary>
    /// <value>Default: 200 ms.</value>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The most events sent in one request.</summary>
    /// <value>Default: 1000.</value>
    public int MaxBatch { get; set; } = 1_000;

    /// <summary>The most events waiting to be sent; beyond, <c>WriteAsync</c> throws.</summary>
    /// <value>Default: 100000.</value>
    public int MaxQueue { get; set; } = 100_000;

    /// <summary>
    /// The most bytes the waiting events' text may take (counted as UTF-16: messages, answers, errors); beyond, <c>WriteAsync</c>
    /// throws. So an outage holds at most this much, however long the callers' messages are.
    /// </summary>
    /// <value>Default: 67108864 (64 MiB).</value>
    public long MaxQueueBytes { get; set; } = 64L << 20;

    /// <summary>
    /// How long disposing the sink keeps sending what is queued; what is still unsent then is counted as lost and logged, so
    /// a host stopping during an outage is not held up by it.
    /// </summary>
    /// <value>Default: 10 seconds.</value>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts per batch when the server is unreachable, busy (503, 429) or failing (5xx).</summary>
    /// <value>Default: 8.</value>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The first retry's delay, doubled each time up to 10 s (a <c>Retry-After</c> from the server wins, up to a minute).</summary>
    /// <value>Default: 200 ms.</value>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

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

        if (FlushInterval <= TimeSpan.Zero || MaxBatch < 1 || MaxQueue < MaxBatch || MaxAttempts < 1 || RetryDelay < TimeSpan.Zero)
        {
            problems.Add("FlushInterval, MaxBatch and MaxAttempts must be positive, MaxQueue at least MaxBatch, RetryDelay not negative.");
        }

        if (MaxQueueBytes < 1024)
        {
            problems.Add($"MaxQueueBytes is {MaxQueueBytes}; it must be at least 1024.");
        }

        if (ShutdownTimeout < TimeSpan.Zero)
        {
            problems.Add($"ShutdownTimeout is {ShutdownTimeout}; it must not be negative.");
        }

        return problems;
    }
}
