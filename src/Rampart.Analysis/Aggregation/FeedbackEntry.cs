namespace Rampart.Analysis.Aggregation;

/// <summary>One feedback value, with what decides which of several for the same request wins: its time, then its position.</summary>
/// <param name="Unit">The unit that gave it.</param>
/// <param name="TsTicks">Its timestamp in UTC ticks.</param>
/// <param name="Sequence">Its position (line number in a file, order in the store): breaks ties between equal timestamps.</param>
/// <param name="Value">The score's value.</param>
internal readonly record struct FeedbackEntry(EventKey Unit, long TsTicks, long Sequence, double Value)
{
    /// <summary>True when this entry is later than <paramref name="other"/>: a later timestamp, or the same one seen later.</summary>
    public bool IsLaterThan(in FeedbackEntry other) =>
        TsTicks > other.TsTicks || (TsTicks == other.TsTicks && Sequence > other.Sequence);
}
