namespace Rampart.Server.Events;

/// <summary>
/// The counts the event writer keeps: what it stored, kept in the journal, or lost. Telemetry implements it
/// (<c>ServerMetrics</c>), so the writer does not depend on the metrics that observe its queue and journal.
/// </summary>
internal interface IEventMetrics
{
    /// <summary>Counts stored events.</summary>
    void EventsWritten(EventSource source, int count);

    /// <summary>Counts events kept in the journal.</summary>
    void EventsJournaled(int count);

    /// <summary>Counts lost events.</summary>
    void EventsLost(int count);
}
