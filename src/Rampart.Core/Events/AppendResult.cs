namespace Rampart.Core.Events;

/// <summary>How many events of a batch were stored, and how many were already there (same id).</summary>
/// <param name="Accepted">Events stored.</param>
/// <param name="Duplicates">Events whose id was already stored (or repeated in the batch), not stored again.</param>
public sealed record AppendResult(int Accepted, int Duplicates)
{
    /// <summary>
    /// The events stored, with the positions an <see cref="IEventFeed"/> gives them, in order, when the store knows them
    /// without another read (SQLite, PostgreSQL); null when it does not. A follower of this process's own writes can take them
    /// from here instead of reading them back.
    /// </summary>
    public IReadOnlyList<StoredEvent>? Stored { get; init; }
}
