namespace Rampart.Core.Alerts;

/// <summary>Where alerts go. <see cref="Send"/> never blocks and never throws: delivery (and its retries) happens elsewhere.</summary>
public interface IAlertSink
{
    /// <summary>Queues <paramref name="alert"/> for delivery.</summary>
    void Send(Alert alert);
}
