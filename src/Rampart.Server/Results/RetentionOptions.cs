namespace Rampart.Server.Results;

/// <summary>How long events are kept (the <c>retention</c> section; docs/storage.md, "Retention").</summary>
public sealed class RetentionOptions
{
    /// <summary>
    /// Events older than this are deleted once a checkpoint covers them (right after the server writes one), so results
    /// keep counting them; null keeps every event.
    /// </summary>
    /// <value>Null: events are kept.</value>
    public TimeSpan? EventsMaxAge { get; set; }
}
