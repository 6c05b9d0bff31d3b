namespace Rampart.Llm.Shadowing;

/// <summary>How sampled requests wait for and get their shadow calls (docs/shadow.md): the server's <c>shadow</c> section (docs/configuration.md).</summary>
public sealed class ShadowOptions
{
    /// <summary>The most shadow calls waiting for a worker (<c>shadow.queue_capacity</c>); more are dropped and counted.</summary>
    /// <value>Default: 10000.</value>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>
    /// The most bytes the waiting calls' request bodies may take (<c>shadow.queue_max_bytes</c>); more are dropped and
    /// counted, so memory is bounded however long the callers' messages are.
    /// </summary>
    /// <value>Default: 67108864 (64 MiB).</value>
    public long QueueMaxBytes { get; set; } = 64L << 20;

    /// <summary>How many shadow calls run at once (<c>shadow.concurrency</c>).</summary>
    /// <value>Default: 4.</value>
    public int Concurrency { get; set; } = 4;

    /// <summary>How long one shadow call may take before it is stored as failed (<c>shadow.timeout</c>; the provider's own timeout applies when shorter).</summary>
    /// <value>Default: 60s.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);
}
