namespace Rampart.Core.Events;

/// <summary>
/// Where producers of events (the gateway, the in-process middleware) hand them over. Implementations queue and
/// batch; a write returns once the event is accepted for writing, not once it is durable.
/// </summary>
public interface IEventSink
{
    /// <summary>Hands one event over for writing; throws when it cannot be accepted (a full queue), never drops it silently.</summary>
    ValueTask WriteAsync(ExperimentEvent e, CancellationToken cancellationToken = default);
}
