namespace Rampart.Core.Events;

/// <summary>
/// A stored event the results follower could not aggregate (a number outside the documented range, or any other failure):
/// set aside, so one bad event can never stall results or the monitor for the others.
/// </summary>
/// <param name="Position">Its position in the store's order (the event itself stays stored there).</param>
/// <param name="Experiment">The experiment it names.</param>
/// <param name="EventId">Its id, or null when it has none.</param>
/// <param name="EventJson">The event as one JSON line of the event format (without logged content).</param>
/// <param name="Error">Why it could not be aggregated, naming the field when a value was out of range.</param>
/// <param name="QuarantinedAt">When it was first set aside.</param>
public sealed record QuarantinedEvent(long Position, string Experiment, string? EventId, string EventJson, string Error, DateTimeOffset QuarantinedAt);
