namespace Rampart.Core.Events;

/// <summary>Feedback that arrived before its completion was stored: kept until the completion lands, then joined to it.</summary>
/// <param name="Id">The feedback event's id once joined (so joining twice stores it once).</param>
/// <param name="RequestId">The call it scores.</param>
/// <param name="Score">The score's name.</param>
/// <param name="Value">The score's value.</param>
/// <param name="Comment">A comment, or null.</param>
/// <param name="Ts">When the feedback was given.</param>
public sealed record PendingFeedback(string Id, string RequestId, string Score, double Value, string? Comment, DateTimeOffset Ts);
