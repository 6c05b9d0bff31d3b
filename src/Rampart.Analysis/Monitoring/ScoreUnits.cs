using Rampart.Analysis.Aggregation;
using Rampart.Stats.Ratios;

namespace Rampart.Analysis.Monitoring;

/// <summary>
/// One score of one variant, kept incrementally for the monitor: per unit the sum and count of feedback values (the latest
/// feedback per request wins by timestamp, then position, as in the results: <see cref="FeedbackLedger"/>), and the sums the
/// delta method needs, updated in O(1) per event so a check costs the same whatever the number of units.
/// </summary>
public sealed class ScoreUnits
{
    private Dictionary<EventKey, (double Sum, long Count)> units = [];
    private FeedbackLedger byRequest = new();
    private ScoreSums sums;
    private long arrivals;

    /// <summary>Feedback values counted (one per request).</summary>
    public long Count => (long)sums.SumN;

    /// <summary>The mean value, or null without feedback.</summary>
    public double? Mean => sums.SumN > 0 ? sums.SumY / sums.SumN : null;

    /// <summary>True while every value seen is 0 or 1.</summary>
    public bool IsBinary { get; private set; } = true;

    /// <summary>
    /// Records a feedback value of <paramref name="unit"/> for <paramref name="requestId"/> (null: always a new one), as if all
    /// such values had one timestamp: for one request the last given wins.
    /// </summary>
    public void Add(string unit, string? requestId, double value)
    {
        ArgumentNullException.ThrowIfNull(unit);
        Add(EventKey.Of(unit), requestId is null ? null : EventKey.Of(requestId), 0, ++arrivals, value);
    }

    /// <summary>Records a feedback value by the 64-bit keys of its unit and request (as the aggregates key them).</summary>
    /// <param name="unit">The unit that gave it.</param>
    /// <param name="requestId">The request it scores, or null.</param>
    /// <param name="tsTicks">Its timestamp in UTC ticks: for one request the latest wins.</param>
    /// <param name="sequence">Its position, which breaks ties between equal timestamps (later wins).</param>
    /// <param name="value">The value.</param>
    public void Add(EventKey unit, EventKey? requestId, long tsTicks, long sequence, double value)
    {
        if (!double.IsFinite(value))
        {
            return;
        }

        IsBinary &= value is 0 or 1;
        if (requestId is { } request)
        {
            if (!byRequest.Record(request, new FeedbackEntry(unit, tsTicks, sequence, value), out var replaced))
            {
                return;
            }

            if (replaced is { } previous)
            {
                Move(previous.Unit, -previous.Value, -1);
            }
        }

        Move(unit, value, 1);
    }

    /// <summary>Per-unit sums and counts for the delta method.</summary>
    public RatioAccumulator PerUnit() => sums.ToAccumulator();

    private void Move(EventKey unit, double value, long count)
    {
        var (unitSum, unitCount) = units.GetValueOrDefault(unit);
        units[unit] = (unitSum + value, unitCount + count);
        sums.Change(unitSum, unitCount, unitSum + value, unitCount + count);
    }

    /// <summary>Writes the whole state, for <see cref="Read"/>.</summary>
    internal void Write(Checkpoints.CheckpointWriter writer)
    {
        writer.Write(arrivals);
        writer.Write(IsBinary);
        sums.Write(writer);
        byRequest.Write(writer);
        writer.Write(units);
    }

    /// <summary>Reads units <see cref="Write"/> wrote.</summary>
    internal static ScoreUnits Read(Checkpoints.CheckpointReader reader)
    {
        var score = new ScoreUnits { arrivals = reader.ReadInt64(), IsBinary = reader.ReadBoolean() };
        score.sums = ScoreSums.Read(reader);
        score.byRequest = FeedbackLedger.Read(reader);
        score.units = reader.ReadUnitSums();
        return score;
    }
}
