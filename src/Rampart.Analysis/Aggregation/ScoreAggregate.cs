using System.Runtime.CompilerServices;
using Rampart.Core.Events;
using Rampart.Stats.Descriptive;
using Rampart.Stats.Ratios;

namespace Rampart.Analysis.Aggregation;

/// <summary>
/// One score's feedback in one variant (docs/statistics.md): the latest event per <c>request_id</c> wins (by timestamp, then position),
/// and feedback without a request id counts on its own. Mergeable: the union of two aggregates keeps, per request, the
/// later of the two winners, so merging in any grouping gives the aggregate of all the feedback.
/// </summary>
public sealed class ScoreAggregate
{
    private FeedbackLedger latest = new();
    private List<FeedbackEntry> loose = [];

    /// <summary>Creates an empty aggregate of score <paramref name="name"/>.</summary>
    public ScoreAggregate(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    /// <summary>The score's name, e.g. <c>user_satisfaction</c>.</summary>
    public string Name { get; }

    /// <summary>The number of values that count: one per request id, plus every feedback without one.</summary>
    public long Count => latest.Count + loose.Count;

    /// <summary>Adds one feedback event.</summary>
    /// <param name="unit">The unit that gave it.</param>
    /// <param name="request">The request it scores, or null.</param>
    /// <param name="tsTicks">Its timestamp in UTC ticks.</param>
    /// <param name="sequence">Its position, which breaks ties between equal timestamps (later wins).</param>
    /// <param name="value">The value, within Core's <see cref="EventNumberRules"/> range of a score.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(EventKey unit, EventKey? request, long tsTicks, long sequence, double value)
    {
        EventNumberRules.ThrowIfInvalid(EventNumber.Score, value, "value");

        var entry = new FeedbackEntry(unit, tsTicks, sequence, value);
        if (request is { } key)
        {
            latest.Record(key, entry, out _);
        }
        else
        {
            loose.Add(entry);
        }
    }

    /// <summary>Adds every value of <paramref name="other"/> (same score) to this aggregate.</summary>
    public void Merge(ScoreAggregate other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Name != Name)
        {
            throw new ArgumentException($"Cannot merge score '{other.Name}' into score '{Name}'.", nameof(other));
        }

        foreach (var (key, entry) in other.latest)
        {
            latest.Record(key, entry, out _);
        }

        loose.AddRange(other.loose);
    }

    /// <summary>Writes the whole state, for <see cref="Read"/>.</summary>
    internal void Write(Checkpoints.CheckpointWriter writer)
    {
        writer.Write(Name);
        latest.Write(writer);
        writer.WriteSpan<FeedbackEntry>(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(loose));
    }

    /// <summary>Reads an aggregate <see cref="Write"/> wrote.</summary>
    internal static ScoreAggregate Read(Checkpoints.CheckpointReader reader)
    {
        var name = reader.ReadString();
        Checkpoints.CheckpointReader.Check(name.Length > 0, "A score aggregate has no name.");
        return new ScoreAggregate(name) { latest = FeedbackLedger.Read(reader), loose = [.. reader.ReadArray<FeedbackEntry>()] };
    }

    /// <summary>The winning value of every request with a request id, by request (for pairing two scores of one request).</summary>
    internal IEnumerable<(EventKey Request, FeedbackEntry Entry)> ByRequest()
    {
        foreach (var (key, entry) in latest)
        {
            yield return (key, entry);
        }
    }

    /// <summary>Count, mean and variance of the winning values, whether all are 0 or 1, and their per-unit sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ScoreSummary Summarize()
    {
        var values = new double[Count];
        var perUnit = new KeyTable<UnitScore>();
        var i = 0;
        var binary = true;
        foreach (var (_, entry) in latest)
        {
            Tally(entry, values, ref i, ref binary, perUnit);
        }

        foreach (var entry in loose)
        {
            Tally(entry, values, ref i, ref binary, perUnit);
        }

        var sums = default(UnitSums);
        foreach (var (_, unit) in perUnit)
        {
            sums.Add(unit.Sum, unit.Count);
        }

        return new ScoreSummary(Name, SampleStatistics.Summarize(values), values.Sum(), values.Length > 0 && binary, sums.ToAccumulator());
    }

    private static void Tally(in FeedbackEntry entry, double[] values, ref int i, ref bool binary, KeyTable<UnitScore> perUnit)
    {
        values[i++] = entry.Value;
        binary &= entry.Value is 0 or 1;
        ref var unit = ref perUnit.GetOrAdd(entry.Unit, out _);
        unit.Sum += entry.Value;
        unit.Count++;
    }

    private struct UnitScore
    {
        public double Sum;
        public long Count;
    }
}
