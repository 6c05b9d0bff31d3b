using System.Data.Common;
using Rampart.Core.Events;

namespace Rampart.Server.Events;

/// <summary>
/// Batches whose senders await the commit (<c>/api/events</c>, <c>/api/feedback</c>). Those queued together share one
/// transaction of up to <c>events.max_batch</c> events, so the store makes one commit instead of several and other
/// servers' followers read one batch; and up to <c>events.writers</c> such transactions are open at once (on PostgreSQL,
/// whose appends run side by side, two by default), so the store copies one while the other commits. Each sender still
/// hears its own counts: the store lists the events it stored, in order (<see cref="AppendResult.Stored"/>), and an event
/// of a sender's batch that is not in that list was a duplicate (of a stored event, or of an earlier one in this or an
/// earlier batch of the transaction, exactly as if the batches had been committed one after another).
/// </summary>
/// <remarks>
/// These writes touch no state of the writer's but <see cref="storeReportsStored"/>; the journal's gateway events never
/// mix with them, and while the journal holds any, awaited batches go through <see cref="WriteAsync"/> one at a time,
/// which tells their senders at once that the store fails.
/// </remarks>
internal sealed partial class EventWriter
{
    private readonly List<Task> awaitedWrites = [];
    private readonly int writers = settings.Value.WritersFor(storage.Value);

    // Set from each store result: batches are joined only when the store reports what it stored.
    private volatile bool storeReportsStored;

    /// <summary>Waits, when <c>events.writers</c> awaited writes are open, until one ends; forgets those that ended.</summary>
    private async Task FreeWriterAsync()
    {
        awaitedWrites.RemoveAll(static t => t.IsCompleted);
        while (awaitedWrites.Count >= writers)
        {
            await Task.WhenAny(awaitedWrites).ConfigureAwait(false);
            awaitedWrites.RemoveAll(static t => t.IsCompleted);
        }
    }

    /// <summary>
    /// Writes <paramref name="group"/> (awaited batches, <paramref name="count"/> events) in one transaction. If a joined
    /// transaction fails, each batch is tried alone, so one batch's failure is never another's; unless the store itself
    /// fails (<see cref="StoreFails"/>), when every sender hears so at once. Never throws: each sender hears its own outcome.
    /// </summary>
    private async Task WriteAwaitedAsync(List<EventBatch> group, int count)
    {
        await Task.Yield(); // the loop goes on to the next batches while this one is written
        var events = EventsOf(group, count);
        try
        {
            // Never the stopping token: what was taken is written even while the server stops.
            var result = await store.AppendAsync(events, CancellationToken.None).ConfigureAwait(false);
            Stored(result);
            CompleteEach(group, result);
        }
#pragma warning disable CA1031 // The sender hears of the failure; the writer itself must go on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            if (group.Count == 1 || StoreFails(e))
            {
                // One batch, or a store that fails whatever it is given (unreachable, timed out, busy): trying each batch
                // alone would only make each sender wait for the same failure again, one after another.
                foreach (var batch in group)
                {
                    batch.Fail(e);
                }
            }
            else
            {
                LogJoinedFailed(logger, group.Count, count, e);
                foreach (var batch in group)
                {
                    await WriteAloneAsync(batch).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            queue.Done(count);
            stored.Notify();
        }
    }

    // A failure of the store rather than of what was sent: the connection (NpgsqlException, SqliteException) says so
    // (IsTransient: a lost connection, a timeout, a busy database), or the wait timed out.
    private static bool StoreFails(Exception e) => e is DbException { IsTransient: true } or TimeoutException;

    private async Task WriteAloneAsync(EventBatch batch)
    {
        try
        {
            var result = await store.AppendAsync(batch.Events, CancellationToken.None).ConfigureAwait(false);
            Stored(result);
            CompleteEach([batch], result);
        }
#pragma warning disable CA1031 // The sender hears of the failure.
        catch (Exception e)
#pragma warning restore CA1031
        {
            batch.Fail(e);
        }
    }

    // The events of a transaction's batches, in order (a lone batch's own list).
    private static IReadOnlyList<ExperimentEvent> EventsOf(List<EventBatch> group, int count)
    {
        if (group.Count == 1)
        {
            return group[0].Events;
        }

        var events = new List<ExperimentEvent>(count);
        foreach (var batch in group)
        {
            events.AddRange(batch.Events);
        }

        return events;
    }

    /// <summary>Gives each batch of a committed transaction its own counts, read from the stored events.</summary>
    private void CompleteEach(List<EventBatch> group, AppendResult result)
    {
        if (group.Count == 1)
        {
            metrics.EventsWritten(group[0].Source, group[0].Events.Count);
            group[0].Complete(result);
            return;
        }

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
