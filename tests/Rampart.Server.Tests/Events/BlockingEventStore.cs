using Rampart.Core.Events;

namespace Rampart.Server.Tests.Events;

/// <summary>An event store whose appends wait until the test opens the gate: a writer stuck on a slow disk.</summary>
public sealed class BlockingEventStore(IEventStore inner) : IEventStore
{
    private readonly TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int waiting;

    /// <summary>Appends that have started and wait at the gate.</summary>
    public int Waiting => Volatile.Read(ref waiting);

    public void Open() => gate.TrySetResult();

    public async Task<AppendResult> AppendAsync(IReadOnlyList<ExperimentEvent> events, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref waiting);
        await gate.Task;
        return await inner.AppendAsync(events, cancellationToken);
    }

    public IAsyncEnumerable<ExperimentEvent> ReadAsync(string experiment, CancellationToken cancellationToken = default) => inner.ReadAsync(experiment, cancellationToken);
}
