using System.Collections.Concurrent;
using Rampart.Core.Events;

namespace Rampart.Server.Events;

/// <summary>
/// Joins feedback to its completion by request id: the feedback event takes the completion's experiment, variant, unit
/// and stage. Feedback that arrives before its completion is stored is kept (durably, in the pending store, and in
/// memory) and joined when the completion lands. Joining twice is harmless: the feedback event's id is the pending
/// feedback's id, so the second copy is a duplicate. What may wait is bounded by <see cref="PendingFeedbackBudget"/>:
/// feedback over it is refused, and at start the oldest kept feedback over it is dropped.
/// </summary>
internal sealed partial class FeedbackJoiner(
    IEventFeed feed, IPendingFeedbackStore pendingStore, EventQueue queue, PendingFeedbackBudget budget, ILogger<FeedbackJoiner> logger)
{
    private readonly ConcurrentDictionary<string, List<PendingFeedback>> waiting = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(ExperimentEvent Completion, List<PendingFeedback> Feedback)> ready = new();

    /// <summary>How many pieces of feedback wait for their completion.</summary>
    public int WaitingCount => waiting.Values.Sum(l => l.Count);

    /// <summary>Reads the feedback left waiting by an earlier run.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var kept = await pendingStore.ListAsync(cancellationToken).ConfigureAwait(false);
        var dropped = new List<string>();

        // Newest first, so that when the kept set is over the limits the oldest are the ones dropped: from the first
        // piece that does not fit, every older one is dropped too.
        for (var i = kept.Count - 1; i >= 0; i--)
        {
            if (dropped.Count == 0 && budget.TryTake(kept[i]))
            {
                Remember(kept[i]);
            }
            else
            {
                dropped.Add(kept[i].Id);
            }
        }

        if (dropped.Count > 0)
        {
            await pendingStore.RemoveAsync(dropped, cancellationToken).ConfigureAwait(false);
            budget.CountOverLimit(dropped.Count);
            LogDroppedOverLimit(logger, dropped.Count, budget.MaxCount, budget.MaxBytes);
        }
    }

    /// <summary>
    /// Stores feedback joined to its completion when that is stored (the returned task ends once the feedback event is
    /// durable; null event when the batch was refused), or keeps it waiting (returns <c>Pending</c>), or refuses it when
    /// waiting feedback is at its limits (returns <c>TooManyPending</c>).
    /// </summary>
    public async Task<FeedbackOutcome> SubmitAsync(PendingFeedback feedback, CancellationToken cancellationToken)
    {
        var kept = false;
        var completion = await feed.FindCompletionAsync(feedback.RequestId, cancellationToken).ConfigureAwait(false);
        if (completion is null)
        {
            if (!budget.TryTake(feedback))
            {
                return new FeedbackOutcome(FeedbackStatus.TooManyPending, null, null);
            }

            kept = true;
            try
            {
                await pendingStore.AddAsync(feedback, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                budget.Give([feedback]);
                throw;
            }

            Remember(feedback);

            // The completion may have been stored while the feedback was being kept: look once more, after remembering
            // it, so either this look or the follower's join sees it.
            completion = await feed.FindCompletionAsync(feedback.RequestId, cancellationToken).ConfigureAwait(false);
            if (completion is null)
            {
                return new FeedbackOutcome(FeedbackStatus.Pending, null, null);
            }
        }

        var e = Join(feedback, completion);
        var batch = new EventBatch([e], EventSource.Feedback, awaitsCommit: true);
        if (!queue.TryEnqueue(batch))
        {
            if (!kept)
            {
                return new FeedbackOutcome(FeedbackStatus.QueueFull, null, null);
            }

            // Already kept durably: join it once the queue has room, its room in the budget held until then.
            if (Forget(feedback.RequestId, feedback.Id, giveBack: false))
            {
                ready.Enqueue((completion, [feedback]));
            }

            return new FeedbackOutcome(FeedbackStatus.Pending, null, null);
        }

        var result = await batch.Committed.ConfigureAwait(false);
        if (Forget(feedback.RequestId, feedback.Id))
        {
            await pendingStore.RemoveAsync([feedback.Id], cancellationToken).ConfigureAwait(false);
        }

        // Kept feedback may have been joined by the follower first: stored all the same.
        return new FeedbackOutcome(result.Accepted > 0 || kept ? FeedbackStatus.Stored : FeedbackStatus.Duplicate, e, result);
    }

    /// <summary>Forgets feedback given before <paramref name="cutoff"/> whose completion never came; returns how many.</summary>
    public async Task<int> ExpireAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var expired = new List<PendingFeedback>();
        foreach (var (requestId, list) in waiting)
        {
            lock (list)
            {
                expired.AddRange(list.Where(f => f.Ts < cutoff));
                list.RemoveAll(f => f.Ts < cutoff);
                if (list.Count == 0)
                {
                    waiting.TryRemove(new KeyValuePair<string, List<PendingFeedback>>(requestId, list));
                }
            }
        }

        if (expired.Count > 0)
        {
            budget.Give(expired);
            budget.CountExpired(expired.Count);
            await pendingStore.ExpireAsync([.. expired.Select(f => f.Id)], cancellationToken).ConfigureAwait(false);
            LogExpired(logger, expired.Count, cutoff);
        }

        return expired.Count;
    }

    /// <summary>Called for every stored event: a completion with feedback waiting gets it joined.</summary>
    public void OnStored(ExperimentEvent e)
    {
        if (e.Type != EventType.Completion || e.RequestId is null || waiting.IsEmpty || !waiting.TryRemove(e.RequestId, out var feedback))
        {
            return;
        }

        List<PendingFeedback> copy;
        lock (feedback)
        {
            // Emptied, so a racing Forget finds nothing and its room is given back once.
            copy = [.. feedback];
            feedback.Clear();
        }

        if (!TryStore(e, copy))
        {
            ready.Enqueue((e, copy));
        }
    }

    /// <summary>
    /// Joins waiting feedback whose completion is already stored: after a start from a results checkpoint, completions
    /// stored before its position are not read again, so they are looked up by request id instead.
    /// </summary>
    public async Task JoinStoredAsync(IEventFeed feed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feed);
        foreach (var requestId in waiting.Keys.ToList())
        {
            if (await feed.FindCompletionAsync(requestId, cancellationToken).ConfigureAwait(false) is { } completion)
            {
                OnStored(completion);
            }
        }
    }

    /// <summary>Retries joins the queue had no room for.</summary>
    public void RetryReady()
    {
        var count = ready.Count;
        for (var i = 0; i < count && ready.TryDequeue(out var item); i++)
        {
            if (!TryStore(item.Completion, item.Feedback))
            {
                ready.Enqueue(item);
                return;
            }
        }
    }

    // Joined feedback keeps its room in the budget until its batch is queued: while the queue is full it waits in memory
    // (ready), and feedback.max_pending must bound that too.
    private bool TryStore(ExperimentEvent completion, List<PendingFeedback> feedback)
    {
        var batch = new EventBatch([.. feedback.Select(f => Join(f, completion))], EventSource.Feedback, awaitsCommit: true);
        if (!queue.TryEnqueue(batch))
        {
            return false;
        }

        budget.Give(feedback);
        _ = ForgetWhenStoredAsync(batch, feedback);
        return true;
    }

    private async Task ForgetWhenStoredAsync(EventBatch batch, List<PendingFeedback> feedback)
    {
        try
        {
            await batch.Committed.ConfigureAwait(false);
            await pendingStore.RemoveAsync([.. feedback.Select(f => f.Id)], CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Left waiting in the store, the feedback is joined again (as a duplicate) at the next start.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogForgetFailed(logger, feedback.Count, e);
        }
    }

    private void Remember(PendingFeedback feedback)
    {
        while (true)
        {
            var list = waiting.GetOrAdd(feedback.RequestId, _ => []);
            lock (list)
            {
                // A list taken out of the map since it was found (joined by OnStored, emptied by Forget or ExpireAsync) is
                // read by nobody again: feedback added to it would be neither joined nor expired. Add to the map's list.
                if (waiting.TryGetValue(feedback.RequestId, out var current) && ReferenceEquals(current, list))
                {
                    list.Add(feedback);
                    return;
                }
            }
        }
    }

    private bool Forget(string requestId, string id, bool giveBack = true)
    {
        if (!waiting.TryGetValue(requestId, out var list))
        {
            return false;
        }

        List<PendingFeedback> removed;
        lock (list)
        {
            removed = list.FindAll(f => f.Id == id);
            list.RemoveAll(f => f.Id == id);
            if (list.Count == 0)
            {
                waiting.TryRemove(new KeyValuePair<string, List<PendingFeedback>>(requestId, list));
            }
        }

        if (giveBack)
        {
            budget.Give(removed);
        }

        return removed.Count > 0;
    }

    private static ExperimentEvent Join(PendingFeedback feedback, ExperimentEvent completion) => new()
    {
        Type = EventType.Feedback,
        Experiment = completion.Experiment,
        Variant = completion.Variant,
        Unit = completion.Unit,
        Stage = completion.Stage,
        RequestId = feedback.RequestId,
        Ts = feedback.Ts,
        Id = feedback.Id,
        Score = feedback.Score,
        Value = feedback.Value,
        Comment = feedback.Comment,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} pieces of feedback given before {Cutoff} never met their completion and were dropped (feedback.pending_ttl).")]
    private static partial void LogExpired(ILogger logger, int count, DateTimeOffset cutoff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} pieces of kept feedback, the oldest, were dropped at start: more waited than feedback.max_pending ({MaxCount}) or feedback.max_pending_bytes ({MaxBytes}) allow.")]
    private static partial void LogDroppedOverLimit(ILogger logger, int count, int maxCount, long maxBytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} joined feedback stayed in the pending store; they are joined again, as duplicates, at the next start.")]
    private static partial void LogForgetFailed(ILogger logger, int count, Exception error);
}
