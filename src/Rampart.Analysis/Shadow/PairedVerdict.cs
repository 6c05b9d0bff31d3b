namespace Rampart.Analysis.Shadow;

/// <summary>A judge's verdict on one answer of a pair; the latest (timestamp, then position) counts, as for any feedback.</summary>
/// <param name="TsTicks">Its timestamp in UTC ticks.</param>
/// <param name="Sequence">Its position.</param>
/// <param name="Value">The normalised score, 0–1.</param>
public readonly record struct PairedVerdict(long TsTicks, long Sequence, double Value)
{
    /// <summary>True when this verdict is later than <paramref name="other"/>: a later timestamp, or the same one seen later.</summary>
    public bool IsLaterThan(PairedVerdict other) => TsTicks > other.TsTicks || (TsTicks == other.TsTicks && Sequence > other.Sequence);
}
