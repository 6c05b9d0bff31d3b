using Rampart.Core.Events;

namespace Rampart.Server.Events;

/// <summary>Core's <see cref="IEventSink"/> over the writer's queue: the event gets an id if it has none; a full queue throws, nothing is dropped.</summary>
internal sealed class QueuedEventSink(EventQueue queue, TimeProvider time) : IEventSink
{
    public ValueTask WriteAsync(ExperimentEvent e, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(e);
        cancellationToken.ThrowIfCancellationRequested();
        return queue.TryEnqueue(new EventBatch([EventIds.WithId(e, time)], EventSource.Gateway, awaitsCommit: false))
            ? ValueTask.CompletedTask
            : throw new EventQueueFullException();
    }
}
