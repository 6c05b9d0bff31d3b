using Rampart.Core.Events;

namespace Rampart.Server.Events;

/// <summary>Events handed to the writer together; when <see cref="AwaitsCommit"/>, they are stored in a transaction of their own and the sender learns the outcome.</summary>
internal sealed class EventBatch
{
    private readonly TaskCompletionSource<AppendResult>? committed;

    /// <summary>Creates a batch.</summary>
    public EventBatch(IReadOnlyList<ExperimentEvent> events, EventSource source, bool awaitsCommit)
    {
        Events = events;
        Source = source;
        committed = awaitsCommit ? new TaskCompletionSource<AppendResult>(TaskCreationOptions.RunContinuationsAsynchronously) : null;
    }

    /// <summary>The events.</summary>
    public IReadOnlyList<ExperimentEvent> Events { get; }

    /// <summary>Where they came from.</summary>
    public EventSource Source { get; }

    /// <summary>True when the sender waits for the commit (and its own counts).</summary>
    public bool AwaitsCommit => committed is not null;

    /// <summary>Completes once the batch is durable (or failed); for a batch that does not await its commit, at once.</summary>
    public Task<AppendResult> Committed => committed?.Task ?? Task.FromResult(new AppendResult(Events.Count, 0));

    /// <summary>Reports the outcome to the sender.</summary>
    public void Complete(AppendResult result) => committed?.TrySetResult(result);

    /// <summary>Reports a failure to the sender.</summary>
    public void Fail(Exception error) => committed?.TrySetException(error);
}
