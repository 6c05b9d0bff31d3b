using Rampart.Analysis.Aggregation;
using Rampart.Core.Events;

namespace Rampart.Analysis.Segments;

/// <summary>
/// Routes an experiment's events, in one pass, to the aggregate of their unit's segment: the value of the attribute in the unit's
/// first exposure that carries it. Until that exposure is read, the unit's events wait in memory; whatever still waits at the end
/// (units without it) goes to <c>(none)</c>. Memory: one entry per unit, plus the waiting events, which are few when exposures
/// come first (as the gateway writes them) but every event of the file when none carries the attribute.
/// </summary>
internal sealed class SegmentRouter
{
    private readonly string by;
    private readonly Dictionary<string, string> unitSegments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(ExperimentEvent Event, long Sequence)>> waiting = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ExperimentAggregate> segments = new(StringComparer.Ordinal);

    public SegmentRouter(string experiment, string by, QuantileMode mode)
    {
        ArgumentException.ThrowIfNullOrEmpty(by);
        this.by = by;
        Overall = new ExperimentAggregate(experiment, mode);
    }

    /// <summary>Every event, unsplit: the whole experiment.</summary>
    public ExperimentAggregate Overall { get; }

    /// <summary>Adds one event (validated by the whole experiment's aggregate first, so a bad one fails before it is routed).</summary>
    public void Add(ExperimentEvent e, long sequence)
    {
        Overall.Add(e, sequence);
        if (unitSegments.TryGetValue(e.Unit, out var known))
        {
            SegmentOf(known).Add(e, sequence);
            return;
        }

        if (e.Type == EventType.Exposure && !e.Shadow && SegmentValue.Of(e.Attributes, by) is { } value)
        {
            unitSegments.Add(e.Unit, value);
            var segment = SegmentOf(value);
            if (waiting.Remove(e.Unit, out var earlier))
            {
                foreach (var (w, s) in earlier)
                {
                    segment.Add(w, s);
                }
            }

            segment.Add(e, sequence);
            return;
        }

        if (!waiting.TryGetValue(e.Unit, out var list))
        {
            list = [];
            waiting.Add(e.Unit, list);
        }

        list.Add((e, sequence));
    }

    /// <summary>The segments by name, the waiting units' events moved to <c>(none)</c>.</summary>
    public IReadOnlyDictionary<string, ExperimentAggregate> Finish()
    {
        foreach (var (_, list) in waiting)
        {
            var none = SegmentOf(SegmentedAnalyzer.None);
            foreach (var (e, s) in list)
            {
                none.Add(e, s);
            }
        }

        waiting.Clear();
        return segments;
    }

    private ExperimentAggregate SegmentOf(string name)
    {
        if (!segments.TryGetValue(name, out var aggregate))
        {
            aggregate = new ExperimentAggregate(Overall.Experiment, Overall.Mode);
            segments.Add(name, aggregate);
        }

        return aggregate;
    }
}
