using Rampart.Analysis.Checkpoints;
using Rampart.Core.Events;

namespace Rampart.Server.Results;

/// <summary>The follower's checkpoints (docs/storage.md, "Checkpoints"): where a start begins, and when one is written.</summary>
internal sealed partial class EventFollower
{
    // Starts from the newest checkpoint that reads whole and still matches the store (the event at its position is the
    // one it covered); an older one when it does not; else from the first event. Never from a checkpoint half read.
    private async Task RestoreAsync(CancellationToken cancellationToken)
    {
        if (unavailable is { } known && time.GetElapsedTime(known.At) < UnavailableRetry)
        {
            throw known.Error;
        }

        var pruned = await retention.PrunedThroughAsync(cancellationToken).ConfigureAwait(false);
        if (checkpointing.Value.EveryEvents == 0)
        {
            if (pruned > 0)
            {
                throw Unavailable($"Events up to position {pruned} were pruned, and checkpoints are off (checkpoints.every_events: 0), so results cannot count them; turn checkpoints on.");
            }

            restoreTried = true;
            return;
        }

        var begun = time.GetTimestamp();
        foreach (var info in await checkpoints.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            string? lastId;
            IReadOnlyList<(string Experiment, string Judge, DateOnly Day, double Settled)> spend;
            try
            {
                (lastId, spend) = await CheckpointLoader.LoadAsync(info, pruned, checkpoints, feed, tracker, cancellationToken).ConfigureAwait(false);
            }
            catch (CheckpointFormatException e)
            {
                LogCheckpointRefused(logger, info.Id, e.Message);
                continue;
            }

            foreach (var (experiment, judge, day, settled) in spend)
            {
                budget.AddSettled(experiment, judge, day, settled);
            }

            (position, lastEventId, lastCheckpoint, RestoredFrom, restoreTried) = (info.Position, lastId, time.GetTimestamp(), info, true);
            var seconds = time.GetElapsedTime(begun).TotalSeconds;
            LogRestored(logger, info.Id, info.Position, info.Length, seconds);
            await joiner.JoinStoredAsync(feed, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (pruned > 0)
        {
            throw Unavailable($"Events up to position {pruned} were pruned, and no checkpoint that covers them can be read, so results cannot count them. Restore the database, checkpoints included, from a backup.");
        }

        restoreTried = true;
    }

    // Where a rebuild of one experiment's aggregates begins: the first event, or, when retention deleted some of its
    // events, the newest usable checkpoint before upTo (the event that failed), loaded whole into a tracker of its own.
    // Without one, the results cannot count the deleted events, so they are refused rather than rebuilt from what is left.
    private async Task<(ResultsTracker Start, long Position)> RebuildStartAsync(string experiment, long upTo, CancellationToken cancellationToken)
    {
        if (!await retention.IsPrunedAsync(experiment, cancellationToken).ConfigureAwait(false))
        {
            return (new ResultsTracker(), 0);
        }

        var pruned = await retention.PrunedThroughAsync(cancellationToken).ConfigureAwait(false);
        foreach (var info in await checkpoints.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (info.Position >= upTo)
            {
                continue;
            }

            var start = new ResultsTracker();
            try
            {
                await CheckpointLoader.LoadAsync(info, pruned, checkpoints, feed, start, cancellationToken).ConfigureAwait(false);
                return (start, info.Position);
            }
            catch (CheckpointFormatException e)
            {
                LogCheckpointRefused(logger, info.Id, e.Message);
            }
        }

        throw Unavailable($"Experiment '{experiment}' lost events to retention, and its results had to be rebuilt (an event at position {upTo} failed inside them) but no checkpoint before that event that counts the deleted ones can be read. Restore the database, checkpoints included, from a backup.");
    }

    private ResultsUnavailableException Unavailable(string message)
    {
        var error = new ResultsUnavailableException(message);
        unavailable = (time.GetTimestamp(), error);
        return error;
    }

    // Every checkpointing.EveryEvents events (at most once per MinInterval, and not when another server just wrote one),
    // the aggregates are written between two reads, so they all cover exactly the events up to Position.
    private async Task CheckpointIfDueAsync(CancellationToken cancellationToken)
    {
        var options = checkpointing.Value;
        if (options.EveryEvents == 0 || sinceCheckpoint < options.EveryEvents || (lastCheckpoint is { } last && time.GetElapsedTime(last) < options.MinInterval))
        {
            return;
        }

        lastCheckpoint = time.GetTimestamp();
        try
        {
            var newest = await checkpoints.ListAsync(cancellationToken).ConfigureAwait(false);
            if (newest.Count > 0 && time.GetUtcNow() - newest[0].CreatedAt < options.MinInterval && newest[0].Position >= Position)
            {
                sinceCheckpoint = 0;
                return;
            }

            var begun = time.GetTimestamp();
            (CheckpointInfo Info, IReadOnlyList<ReadOnlyMemory<byte>> Chunks) written;
            await reading.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                written = ResultsCheckpoint.Write(tracker, budget, Position, lastEventId, time.GetUtcNow());
                sinceCheckpoint = 0;
            }
            finally
            {
                reading.Release();
            }

            await checkpoints.SaveAsync(written.Info, written.Chunks, options.Keep, cancellationToken).ConfigureAwait(false);
            var seconds = time.GetElapsedTime(begun).TotalSeconds;
            LogCheckpointWritten(logger, written.Info.Position, written.Info.Length, seconds);
            if (retaining.Value.EventsMaxAge is { } maxAge && pruning is not { IsCompleted: false })
            {
                // Beside the follower, not in its loop: deleting millions of events takes minutes, and results go on meanwhile.
                pruning = PruneAsync(time.GetUtcNow() - maxAge, written.Info.Position, cancellationToken);
            }
        }
#pragma warning disable CA1031 // A checkpoint is an optimisation: failing to write one must never stop results; the next is tried later.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            LogCheckpointFailed(logger, e);
        }
    }

    // Only what the checkpoint just written covers: results keep counting every pruned event.
    private async Task PruneAsync(DateTimeOffset before, long through, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            var pruned = await retention.PruneAsync(before, through, dryRun: false, cancellationToken).ConfigureAwait(false);
            LogPruned(logger, pruned, before, through);
        }
#pragma warning disable CA1031 // What is not deleted now is deleted after the next checkpoint; following must not stop.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            LogPruneFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention: deleting events a checkpoint covers failed; it is tried again after the next checkpoint.")]
    private static partial void LogPruneFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Results: started from checkpoint {Id} (position {Position}, {Bytes} bytes) in {Seconds:F1} s; reading the events after it.")]
    private static partial void LogRestored(ILogger logger, long id, long position, long bytes, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Results: checkpoint {Id} was not used ({Problem}); an older one is tried, else results are rebuilt from the events.")]
    private static partial void LogCheckpointRefused(ILogger logger, long id, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Results: wrote a checkpoint at position {Position} ({Bytes} bytes) in {Seconds:F1} s.")]
    private static partial void LogCheckpointWritten(ILogger logger, long position, long bytes, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: deleted {Count} events from before {Before:O} up to position {Position}, which the checkpoint covers.")]
    private static partial void LogPruned(ILogger logger, long count, DateTimeOffset before, long position);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Results: writing a checkpoint failed; results go on, and the next one is tried later.")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception error);
}
