namespace Rampart.Core.Events;

/// <summary>Reads stored events in the order they were stored, for readers that follow the store (incremental results, feedback joins).</summary>
public interface IEventFeed
{
    /// <summary>Up to <paramref name="max"/> events stored after <paramref name="position"/> (0: from the first), in order.</summary>
    Task<IReadOnlyList<StoredEvent>> ReadAfterAsync(long position, int max, CancellationToken cancellationToken = default);

    /// <summary>The first stored completion with <paramref name="requestId"/>, or null.</summary>
    Task<ExperimentEvent?> FindCompletionAsync(string requestId, CancellationToken cancellationToken = default);
}
