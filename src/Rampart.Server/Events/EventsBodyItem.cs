using Rampart.Core.Events;

namespace Rampart.Server.Events;

/// <summary>One event of a <c>POST /api/events</c> body, or why it is not one.</summary>
/// <param name="Position">Its index in the array (from 0) or its line (from 1).</param>
/// <param name="Event">The event, when valid.</param>
/// <param name="Field">The field at fault, when not.</param>
/// <param name="Reason">What is wrong, when not.</param>
internal sealed record EventsBodyItem(long Position, ExperimentEvent? Event, string? Field, string? Reason);
