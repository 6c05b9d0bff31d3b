using Rampart.Core.Events;

namespace Rampart.Server.Events;

/// <summary>
/// Batches whose senders await the commit, written together: when several are queued (many clients posting to
/// <c>/api/events</c> at once), they share one transaction of up to <c>events.max_batch</c> events, so the store makes
/// one commit instead of several and other servers' followers read one batch. Each sender still hears its own counts:
/// the store lists the events it stored, in order (<see cref="AppendResult.Stored"/>), and an event of a sender's batch
/// that is not in that list was a duplicate (of a stored event, or of an earlier one in this or an earlier batch of the
/// transaction, exactly as if the batches had been committed one after another).
/// </summary>
internal sealed partial class EventWriter
{
    // Set from each store result: batches are joined only when the store reports what it stored.
    private bool storeReportsStored;

    /// <summary>
    /// Writes <paramref name="group"/> (at least two awaited batches, <paramref name="count"/> events) in one
    /// transaction. If that fails, each batch is written alone, so one batch's failure is never another's.
    /// </summary>
    private async Task WriteAwaitedAsync(List<EventBatch> group, int count)
    {
        AppendResult? result = null;
        if (journal.HeldEvents == 0)
        {
            var events = new List<ExperimentEvent>(count);
            foreach (var batch in group)
            {
                events.AddRange(batch.Events);
            }

            try
            {
                // Never the stopping token: what was taken is written even while the server stops.
                result = await store.AppendAsync(events, CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Each batch is then written alone, and its sender hears of its own failure.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogJoinedFailed(logger, group.Count, count, e);
            }
        }

        if (result is null)
        {
            // Held events come first (WriteAsync fails an awaited batch at once while the journal holds any), or the
            // joined transaction failed: nothing of it is stored.
            var single = new List<EventBatch>(1);
            foreach (var batch in group)
            {
                single.Clear();
                single.Add(batch);
                await WriteAsync(single, batch.Events.Count).ConfigureAwait(false);
            }

            return;
        }

        Stored(result);
        CompleteEach(group, result);
        queue.Done(count);
        stored.Notify();
    }

    /// <summary>Gives each batch of a committed joined transaction its own counts, read from the stored events.</summary>
    private void CompleteEach(List<EventBatch> group, AppendResult result)
    {
        var stored = result.Stored;
        var next = 0;
        foreach (var batch in group)
        {
            metrics.EventsWritten(batch.Source, batch.Events.Count);
            if (result.Duplicates == 0)
            {
                batch.Complete(new AppendResult(batch.Events.Count, 0));
                continue;
            }

            if (stored is null)
            {
                // Not our stores; the sender retries, and the retry counts what this transaction stored as duplicates.
                batch.Fail(new InvalidOperationException("The events were stored, but the store did not report which were duplicates."));
                continue;
            }

            // The stored list is the transaction's events in order, without the duplicates: walk both together.
            var accepted = 0;
            foreach (var e in batch.Events)
            {
                if (next < stored.Count && ReferenceEquals(stored[next].Event, e))
                {
                    accepted++;
                    next++;
                }
            }

            batch.Complete(new AppendResult(accepted, batch.Events.Count - accepted));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing {Batches} batches of {Count} events in one transaction failed; storing each alone.")]
    private static partial void LogJoinedFailed(ILogger logger, int batches, int count, Exception error);
}
