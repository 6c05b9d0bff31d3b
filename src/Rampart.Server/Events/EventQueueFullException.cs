namespace Rampart.Server.Events;

/// <summary>The event queue is full (or the server is stopping): the events were not taken, and nothing was dropped.</summary>
public sealed class EventQueueFullException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EventQueueFullException()
        : base("The event queue is full (events.queue_capacity); retry shortly.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public EventQueueFullException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public EventQueueFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
