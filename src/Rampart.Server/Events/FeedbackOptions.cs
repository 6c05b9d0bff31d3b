namespace Rampart.Server.Events;

/// <summary>The <c>feedback</c> section (docs/configuration.md): feedback waiting for its completion.</summary>
public sealed class FeedbackOptions
{
    /// <summary>How long feedback waits for its completion, counted from its <c>ts</c> (<c>feedback.pending_ttl</c>).</summary>
    /// <value>Default: 1d.</value>
    public TimeSpan PendingTtl { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// The most pieces of feedback kept waiting for their completion (<c>feedback.max_pending</c>); more get 429 until
    /// some are joined or expire.
    /// </summary>
    /// <value>Default: 10000.</value>
    public int MaxPending { get; set; } = 10_000;

    /// <summary>
    /// The most bytes (UTF-8) of text — request ids, scores, comments, ids — kept in waiting feedback
    /// (<c>feedback.max_pending_bytes</c>); more get 429.
    /// </summary>
    /// <value>Default: 32 MiB.</value>
    public long MaxPendingBytes { get; set; } = 32L * 1024 * 1024;
}
