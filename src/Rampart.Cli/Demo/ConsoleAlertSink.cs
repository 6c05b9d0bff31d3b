using Rampart.Core.Alerts;
using Spectre.Console;

namespace Rampart.Cli.Demo;

/// <summary>The demo's alert receiver: each alert is a line on the terminal, as a webhook would post it to a chat channel.</summary>
internal sealed class ConsoleAlertSink(IAnsiConsole console) : IAlertSink
{
    /// <inheritdoc />
    public void Send(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        console.MarkupLine($"          [bold red]ALERT[/] ({Markup.Escape(alert.Kind)}) {Markup.Escape(alert.Text)}");
    }
}
