namespace Rampart.Core.Events;

/// <summary>Persistence of events: appended in batches, idempotent by id.</summary>
public interface IEventStore
{
    /// <summary>
    /// Stores a batch in one transaction: all of it or, on failure, none. An event whose id is already stored (or
    /// repeats an earlier id in the batch) is counted as a duplicate and not stored again.
    /// </summary>
    Task<AppendResult> AppendAsync(IReadOnlyList<ExperimentEvent> events, CancellationToken cancellationToken = default);

    /// <summary>The events of <paramref name="experiment"/> in the order they were stored.</summary>
    IAsyncEnumerable<ExperimentEvent> ReadAsync(string experiment, CancellationToken cancellationToken = default);
}
