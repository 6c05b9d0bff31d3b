using Rampart.Core.Events;

namespace Rampart.Llm.Tests.Fakes;

/// <summary>An event sink that keeps what it is given, or refuses everything when <see cref="Refuse"/> is set.</summary>
public sealed class RecordingEventSink : IEventSink
{
    private readonly List<ExperimentEvent> events = [];

    public bool Refuse { get; set; }

    public IReadOnlyList<ExperimentEvent> Events
    {
        get
        {
            lock (events)
            {
                return [.. events];
            }
        }
    }

    public ValueTask WriteAsync(ExperimentEvent e, CancellationToken cancellationToken = default)
    {
        if (Refuse)
        {
            throw new InvalidOperationException("The event queue is full.");
        }

        lock (events)
        {
            events.Add(e);
        }

        return ValueTask.CompletedTask;
    }
}
