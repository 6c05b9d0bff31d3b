using Rampart.Core.Alerts;

namespace Rampart.Cli.Demo;

/// <summary>
/// Holds the alerts an action raises until the story has told the action, then passes them on: the demo prints the
/// rollback, then the alert it sent.
/// </summary>
internal sealed class HeldAlertSink(IAlertSink inner) : IAlertSink
{
    private readonly List<Alert> held = [];

    /// <inheritdoc />
    public void Send(Alert alert) => held.Add(alert);

    /// <summary>Passes every held alert on, in the order sent.</summary>
    public void Release()
    {
        foreach (var alert in held)
        {
            inner.Send(alert);
        }

        held.Clear();
    }
}
