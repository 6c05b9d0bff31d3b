using Rampart.Core.Events;

namespace Rampart.Server.Tests.Recording;

/// <summary>An event sink that keeps what it is given, in order.</summary>
public sealed class ListEventSink : IEventSink
{
    public List<ExperimentEvent> Events { get; } = [];

    public ValueTask WriteAsync(ExperimentEvent e, CancellationToken cancellationToken = default)
    {
        Events.Add(e);
        return ValueTask.CompletedTask;
    }
}
