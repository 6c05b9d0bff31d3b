namespace Rampart.Core.Events;

/// <summary>An event as stored, with its position in the store's order.</summary>
/// <param name="Position">Increases with every stored event; a reader resumes after the last position it saw.</param>
/// <param name="Event">The event.</param>
public sealed record StoredEvent(long Position, ExperimentEvent Event);
