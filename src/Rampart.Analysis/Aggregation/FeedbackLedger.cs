using System.Runtime.CompilerServices;

namespace Rampart.Analysis.Aggregation;

/// <summary>
/// The latest feedback per <c>request_id</c> of one score (docs/statistics.md): a later timestamp wins, and between equal
/// timestamps the later position. The results (<see cref="ScoreAggregate"/>), the timeline
/// (<see cref="Timelines.TimelineRecorder"/>) and the monitor (<see cref="Monitoring.ScoreUnits"/>) all keep their winners
/// here, so they agree on which value counts; <see cref="Record"/> says what changed so each can update its own sums.
/// </summary>
internal sealed class FeedbackLedger
{
    private KeyTable<FeedbackEntry> latest = new();

    /// <summary>The number of requests with feedback.</summary>
    public int Count => latest.Count;

    /// <summary>
    /// Records <paramref name="entry"/> for <paramref name="request"/>. False when the request's kept feedback is later (nothing
    /// changes); true when <paramref name="entry"/> now counts, with <paramref name="replaced"/> the feedback it displaces
    /// (whose value leaves the sums) or null when it is the request's first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Record(EventKey request, in FeedbackEntry entry, out FeedbackEntry? replaced)
    {
        ref var current = ref latest.GetOrAdd(request, out var exists);
        if (!exists)
        {
            current = entry;
            replaced = null;
            return true;
        }

        if (!entry.IsLaterThan(current))
        {
            replaced = null;
            return false;
        }

        replaced = current;
        current = entry;
        return true;
    }

    /// <summary>Writes the ledger, for <see cref="Read"/>.</summary>
    public void Write(Checkpoints.CheckpointWriter writer) => latest.Write(writer);

    /// <summary>Reads a ledger <see cref="Write"/> wrote.</summary>
    public static FeedbackLedger Read(Checkpoints.CheckpointReader reader) => new() { latest = KeyTable<FeedbackEntry>.Read(reader) };

    /// <summary>Enumerates each request with its winning feedback.</summary>
    public KeyTable<FeedbackEntry>.Enumerator GetEnumerator() => latest.GetEnumerator();
}
