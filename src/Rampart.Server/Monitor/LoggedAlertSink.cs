using Rampart.Core.Alerts;

namespace Rampart.Server.Monitor;

/// <summary>The alert sink when no other is registered: writes each alert's text to the log at Warning, so no alert goes unseen.</summary>
public sealed partial class LoggedAlertSink(ILogger<LoggedAlertSink> logger) : IAlertSink
{
    /// <inheritdoc />
    public void Send(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        LogAlert(logger, alert.Experiment, alert.Kind, alert.Text);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert [{Experiment}] {Kind}: {Text}")]
    private static partial void LogAlert(ILogger logger, string experiment, string kind, string text);
}
