using Rampart.Analysis.Aggregation;
using Rampart.Stats.Ratios;

namespace Rampart.Analysis.Monitoring;

/// <summary>
/// One score of one variant, kept incrementally for the monitor: per unit the sum and count of feedback values (the latest
/// feedback per request replacing an earlier one, in arrival order), and the sums the delta method needs, updated in O(1)
/// per event so a check costs the same whatever the number of units.
/// </summary>
public sealed class ScoreUnits
{
    private readonly Dictionary<EventKey, (double Sum, long Count)> units = [];
    private readonly Dictionary<EventKey, double> byRequest = [];
    private ScoreSums sums;

    /// <summary>Feedback values counted (one per request).</summary>
    public long Count => (long)sums.SumN;

    /// <summary>The mean value, or null without feedback.</summary>
    public double? Mean => sums.SumN > 0 ? sums.SumY / sums.SumN : null;

    /// <summary>True while every value seen is 0 or 1.</summary>
    public bool IsBinary { get; private set; } = true;

    /// <summary>Records a feedback value of <paramref name="unit"/> for <paramref name="requestId"/> (null: always a new one).</summary>
    public void Add(string unit, string? requestId, double value)
    {
        ArgumentNullException.ThrowIfNull(unit);
        Add(EventKey.Of(unit), requestId is null ? null : EventKey.Of(requestId), value);
    }

    /// <summary>Records a feedback value by the 64-bit keys of its unit and request (as the aggregates key them).</summary>
    public void Add(EventKey unit, EventKey? requestId, double value)
    {
        if (!double.IsFinite(value))
        {
            return;
        }

        IsBinary &= value is 0 or 1;
        var addedCount = 1L;
        var addedValue = value;
        if (requestId is { } request)
        {
            if (byRequest.TryGetValue(request, out var previous))
            {
                addedCount = 0;
                addedValue = value - previous;
            }

            byRequest[request] = value;
        }

        var (unitSum, unitCount) = units.GetValueOrDefault(unit);
        units[unit] = (unitSum + addedValue, unitCount + addedCount);
        sums.Change(unitSum, unitCount, unitSum + addedValue, unitCount + addedCount);
    }

    /// <summary>Per-unit sums and counts for the delta method.</summary>
    public RatioAccumulator PerUnit() => sums.ToAccumulator();
}
