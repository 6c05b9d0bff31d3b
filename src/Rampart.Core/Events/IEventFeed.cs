namespace Rampart.Core.Events;

/// <summary>Reads stored events in the order they were stored, for readers that follow the store (incremental results, feedback joins).</summary>
public interface IEventFeed
{
    /// <summary>
    /// Up to <paramref name="max"/> events stored after <paramref name="position"/> (0: from the first), in order, without
    /// their logged content: <c>input</c>, <c>output</c>, <c>comment</c> and <c>extra</c> are null (a follower counts and
    /// joins; it never needs the text, which can be most of an event's size).
    /// </summary>
    Task<IReadOnlyList<StoredEvent>> ReadAfterAsync(long position, int max, CancellationToken cancellationToken = default);

    /// <summary>The first stored completion with <paramref name="requestId"/>, or null.</summary>
    Task<ExperimentEvent?> FindCompletionAsync(string requestId, CancellationToken cancellationToken = default);
}
