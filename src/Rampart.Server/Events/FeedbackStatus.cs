namespace Rampart.Server.Events;

/// <summary>What became of a piece of feedback.</summary>
internal enum FeedbackStatus
{
    /// <summary>Joined to its completion and stored.</summary>
    Stored,

    /// <summary>Its id was already stored.</summary>
    Duplicate,

    /// <summary>Its completion is not stored yet: kept, and joined when it lands.</summary>
    Pending,

    /// <summary>The event queue was full: nothing was kept.</summary>
    QueueFull,

    /// <summary>Its completion is not stored yet and as much feedback as allowed already waits: nothing was kept.</summary>
    TooManyPending,
}
