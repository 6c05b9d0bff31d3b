using Rampart.Core.Events;

namespace Rampart.Server.Events;

/// <summary>What became of a piece of feedback.</summary>
/// <param name="Status">Stored, a duplicate, waiting for its completion, or refused by a full queue.</param>
/// <param name="Event">The feedback event joined to its completion, once there is one.</param>
/// <param name="Result">The writer's counts, once stored.</param>
internal sealed record FeedbackOutcome(FeedbackStatus Status, ExperimentEvent? Event, AppendResult? Result);
