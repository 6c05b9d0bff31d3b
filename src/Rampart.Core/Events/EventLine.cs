namespace Rampart.Core.Events;

/// <summary>One non-blank line of a JSON Lines file: its event, or why it is not one.</summary>
/// <param name="Line">The 1-based line number.</param>
/// <param name="Event">The event, when the line is valid.</param>
/// <param name="Error">The problem, when it is not.</param>
public sealed record EventLine(long Line, ExperimentEvent? Event, EventFormatException? Error);
