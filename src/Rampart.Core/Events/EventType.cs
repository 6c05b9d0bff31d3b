namespace Rampart.Core.Events;

/// <summary>The kinds of event (docs/cli.md, Events).</summary>
public enum EventType
{
    /// <summary>A unit was assigned a variant.</summary>
    Exposure,

    /// <summary>A model call finished (or failed).</summary>
    Completion,

    /// <summary>A score for a call (thumbs up/down, a rating, a comment).</summary>
    Feedback,
}
