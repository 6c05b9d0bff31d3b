using Rampart.Core.Events;

namespace Rampart.Server.Events;

/// <summary>
/// Ids for events that come without one: UUIDv7, ordered by time, so the <c>id</c> index grows at its end. Random
/// (v4) ids land all over the index and halved SQLite's insert rate.
/// </summary>
internal static class EventIds
{
    /// <summary>A new time-ordered id.</summary>
    public static string New(TimeProvider time) => TimeOrderedId.New(time.GetUtcNow());

    /// <summary>The event, with a new id when it has none.</summary>
    public static ExperimentEvent WithId(ExperimentEvent e, TimeProvider time) => e.Id is null ? e with { Id = New(time) } : e;
}
