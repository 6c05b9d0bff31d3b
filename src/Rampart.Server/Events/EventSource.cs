namespace Rampart.Server.Events;

/// <summary>Where a batch of events came from (a label of the events-written metric).</summary>
internal enum EventSource
{
    /// <summary><c>POST /api/events</c>.</summary>
    Api,

    /// <summary>The gateway and <c>/api/assign</c>'s exposures.</summary>
    Gateway,

    /// <summary><c>POST /api/feedback</c> and feedback joined to its completion.</summary>
    Feedback,

    /// <summary>A judge's verdicts (docs/judges.md).</summary>
    Judge,
}
