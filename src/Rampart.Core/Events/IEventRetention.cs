namespace Rampart.Core.Events;

/// <summary>
/// Deletes old events whose results a checkpoint keeps (docs/storage.md, "Retention"), and remembers how far it went, so a
/// server never rebuilds results from what is left as if it were everything.
/// </summary>
public interface IEventRetention
{
    /// <summary>
    /// Deletes (or, when <paramref name="dryRun"/>, only counts) the events stored with a timestamp before
    /// <paramref name="before"/> at positions up to <paramref name="throughPosition"/>, in batches, and records the highest
    /// position deleted; returns how many.
    /// </summary>
    Task<long> PruneAsync(DateTimeOffset before, long throughPosition, bool dryRun, CancellationToken cancellationToken = default);

    /// <summary>The highest position whose event was pruned, or 0 when none was.</summary>
    Task<long> PrunedThroughAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether any event of <paramref name="experiment"/> was pruned: its stored events are then not all of them, and only
    /// the server's checkpointed results count every one.
    /// </summary>
    Task<bool> IsPrunedAsync(string experiment, CancellationToken cancellationToken = default);
}
