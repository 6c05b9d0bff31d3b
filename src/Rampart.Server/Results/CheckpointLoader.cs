using Rampart.Analysis.Checkpoints;
using Rampart.Core.Events;

namespace Rampart.Server.Results;

/// <summary>
/// Reads a stored checkpoint as a starting server uses it (docs/storage.md, "Checkpoints"): whole (<see cref="ResultsCheckpoint"/>'s
/// checks) and still matching the store (the event at its position is the one it covered, and it covers every pruned event).
/// </summary>
public static class CheckpointLoader
{
    /// <summary>
    /// The newest stored checkpoint a starting server would use, or null; with why each newer one would not be used.
    /// Reads each whole into memory (about three times its size while it is checked).
    /// </summary>
    public static async Task<(CheckpointInfo? Usable, IReadOnlyList<string> Refused)> NewestUsableAsync(
        ICheckpointStore checkpoints, IEventFeed feed, IEventRetention retention, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        var pruned = await retention.PrunedThroughAsync(cancellationToken).ConfigureAwait(false);
        var refused = new List<string>();
        foreach (var info in await checkpoints.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await LoadAsync(info, pruned, checkpoints, feed, new ResultsTracker(), cancellationToken).ConfigureAwait(false);
                return (info, refused);
            }
            catch (CheckpointFormatException e)
            {
                refused.Add($"checkpoint {info.Id} (position {info.Position}): {e.Message}");
            }
        }

        return (null, refused);
    }

    /// <summary>
    /// Reads checkpoint <paramref name="info"/> into the empty <paramref name="tracker"/>; throws
    /// <see cref="CheckpointFormatException"/> when it is not usable, leaving the tracker empty (on any failure).
    /// </summary>
    internal static async Task<(string? LastEventId, IReadOnlyList<(string Experiment, string Judge, DateOnly Day, double Settled)> Spend)> LoadAsync(
        CheckpointInfo info, long prunedThrough, ICheckpointStore checkpoints, IEventFeed feed, ResultsTracker tracker, CancellationToken cancellationToken)
    {
        if (info.Position < prunedThrough)
        {
            throw new CheckpointFormatException($"It covers events up to position {info.Position}, but events up to {prunedThrough} were pruned.");
        }

        try
        {
            var chunks = await checkpoints.ReadAsync(info.Id, cancellationToken).ConfigureAwait(false);
            var (lastId, spend) = ResultsCheckpoint.Read(info, chunks, tracker);
            // The event at its position must be the one it covered, unless retention deleted it (then no other may be there).
            var at = info.Position == 0 ? [] : await feed.ReadAfterAsync(info.Position - 1, 1, cancellationToken).ConfigureAwait(false);
            var pruned = info.Position <= prunedThrough && (at.Count == 0 || at[0].Position > info.Position);
            if (info.Position > 0 && !pruned && (at.Count == 0 || at[0].Position != info.Position || at[0].Event.Id != lastId))
            {
                throw new CheckpointFormatException(
                    $"The store no longer holds the event at position {info.Position} that it covers (a database restored from an older backup?).");
            }

            return (lastId, spend);
        }
        catch
        {
            tracker.Clear();
            throw;
        }
    }
}
