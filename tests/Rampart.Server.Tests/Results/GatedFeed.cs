using Rampart.Core.Events;

namespace Rampart.Server.Tests.Results;

/// <summary>A feed that holds every read until <c>gate</c> completes, as a long history would at a start.</summary>
internal sealed class GatedFeed(IEventFeed inner, Task gate) : IEventFeed
{
    public async Task<IReadOnlyList<StoredEvent>> ReadAfterAsync(long position, int max, CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken);
        return await inner.ReadAfterAsync(position, max, cancellationToken);
    }

    public Task<ExperimentEvent?> FindCompletionAsync(string requestId, CancellationToken cancellationToken = default) =>
        inner.FindCompletionAsync(requestId, cancellationToken);
}
