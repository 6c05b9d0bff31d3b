using System.Collections.Concurrent;
using Rampart.Core.Alerts;

namespace Rampart.Testing;

/// <summary>An alert sink that keeps what it was sent, so a test can read the alerts.</summary>
public sealed class CapturingAlertSink : IAlertSink
{
    public ConcurrentQueue<Alert> Alerts { get; } = new();

    public void Send(Alert alert) => Alerts.Enqueue(alert);
}
