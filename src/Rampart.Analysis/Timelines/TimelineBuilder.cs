using Rampart.Analysis.Aggregation;
using Rampart.Analysis.Comparisons;
using Rampart.Core.Events;
using Rampart.Stats.Ratios;
using Rampart.Stats.Sequential;

namespace Rampart.Analysis.Timelines;

/// <summary>
/// Builds a <see cref="Timeline"/> from an experiment's events read once in stored order: traffic per window, and at the
/// end of each window the primary score of every variant against the control so far (the same per-request-latest feedback
/// and per-unit delta method as the results document) with a 95% confidence sequence: the running intersection of the
/// mSPRT's always-valid intervals (<see cref="Msprt.AlwaysValidInterval"/>), tuned as <c>p_value_sequential</c> is.
/// Memory holds the primary score's feedback, as the results do; time is O(events + windows × feedback).
/// </summary>
public sealed class TimelineBuilder
{
    private const double Alpha = 0.05;
    private readonly string[] variants;
    private readonly int control;
    private readonly string score;
    private readonly string experiment;
    private readonly DateTimeOffset from;
    private readonly DateTimeOffset to;
    private readonly long windowTicks;
    private readonly ScoreAggregate[] scores;
    private readonly long[][] exposures;
    private readonly long[][] completions;
    private readonly (double Lower, double Upper)?[] sequences;
    private readonly List<TimelinePoint> points = [];
    private long sequence;

    /// <summary>Prepares <paramref name="windows"/> equal windows from <paramref name="from"/> to <paramref name="to"/>.</summary>
    /// <param name="experiment">The experiment's key.</param>
    /// <param name="variants">The variants in listed order; events of other variants are left out, as in the results.</param>
    /// <param name="control">The control, one of <paramref name="variants"/>.</param>
    /// <param name="score">The primary score.</param>
    /// <param name="from">The start of the first window; earlier events count in it.</param>
    /// <param name="to">The end of the last window, after <paramref name="from"/>; later events count in it.</param>
    /// <param name="windows">How many windows, 1 or more.</param>
    public TimelineBuilder(string experiment, IReadOnlyList<string> variants, string control, string score, DateTimeOffset from, DateTimeOffset to, int windows)
    {
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentOutOfRangeException.ThrowIfLessThan(windows, 1);
        this.experiment = experiment;
        this.variants = [.. variants];
        this.control = Array.IndexOf(this.variants, control);
        if (this.control < 0)
        {
            throw new ArgumentException($"The control '{control}' is not among the variants.", nameof(control));
        }

        this.score = score;
        this.from = from;
        this.to = to > from ? to : from.AddSeconds(1);
        windowTicks = Math.Max(1, (this.to - from).Ticks / windows);
        scores = [.. this.variants.Select(_ => new ScoreAggregate(score))];
        exposures = [.. Enumerable.Range(0, windows).Select(_ => new long[this.variants.Length])];
        completions = [.. Enumerable.Range(0, windows).Select(_ => new long[this.variants.Length])];
        sequences = new (double, double)?[this.variants.Length];
    }

    /// <summary>Adds the next stored event; an event older than the windows already closed counts in the open one.</summary>
    public void Add(ExperimentEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var index = Array.IndexOf(variants, e.Variant);
        if (index < 0)
        {
            return;
        }

        var window = Math.Max(WindowOf(e.Ts), points.Count);
        while (points.Count < window)
        {
            Close();
        }

        sequence++;
        switch (e.Type)
        {
            case EventType.Exposure:
                exposures[window][index]++;
                break;
            case EventType.Completion:
                completions[window][index]++;
                break;
            default:
                if (e.Score == score && e.Value is { } value && double.IsFinite(value))
                {
                    EventKey? request = e.RequestId is null ? null : EventKey.Of(e.RequestId);
                    scores[index].Add(EventKey.Of(e.Unit), request, e.Ts.UtcTicks, sequence, value);
                }

                break;
        }
    }

    /// <summary>Closes the remaining windows and returns the timeline.</summary>
    public Timeline Build()
    {
        while (points.Count < exposures.Length)
        {
            Close();
        }

        return new Timeline(experiment, variants[control], score, variants, from, to, points);
    }

    private int WindowOf(DateTimeOffset ts)
    {
        if (ts <= from)
        {
            return 0;
        }

        return (int)Math.Min(exposures.Length - 1, (ts - from).Ticks / windowTicks);
    }

    private void Close()
    {
        var index = points.Count;
        var hasExposures = exposures.Any(w => w.Any(n => n > 0));
        var counts = hasExposures ? exposures[index] : completions[index];
        var traffic = variants.Select((name, i) => (name, i)).ToDictionary(v => v.name, v => counts[v.i], StringComparer.Ordinal);
        var summaries = scores.Select(s => s.Summarize()).ToArray();
        var binary = summaries.All(s => s.Values.Count == 0 || s.IsBinary);
        var baseline = summaries[control];
        var differences = new Dictionary<string, ScoreDifference>(StringComparer.Ordinal);
        for (var i = 0; i < variants.Length; i++)
        {
            if (i != control)
            {
                differences[variants[i]] = Difference(i, baseline, summaries[i], binary);
            }
        }

        var end = index == exposures.Length - 1 ? to : from.AddTicks(windowTicks * (index + 1));
        points.Add(new TimelinePoint(end, traffic, differences));
    }

    private ScoreDifference Difference(int index, ScoreSummary baseline, ScoreSummary summary, bool binary)
    {
        double? diff = baseline.Values.Mean is { } c && summary.Values.Mean is { } v && double.IsFinite(v - c) ? v - c : null;
        var clustered = DeltaMethodTest.Compare(baseline.PerUnit, summary.PerUnit);
        double? tau = binary
            ? SequentialTuning.BinaryScore
            : baseline.Values.Mean is { } mean && mean != 0 ? SequentialTuning.RelativeToControlMean * Math.Abs(mean) : null;
        if (tau is { } t && clustered.Difference is { } d && clustered.StandardError is { } se
            && Msprt.AlwaysValidInterval(d, se * se, t, Alpha) is { } look)
        {
            // The confidence sequence is the running intersection; an empty one (the plug-in variance moved) restarts from this look.
            var running = sequences[index] is { } previous
                ? (Lower: Math.Max(previous.Lower, look.Lower), Upper: Math.Min(previous.Upper, look.Upper))
                : (look.Lower, look.Upper);
            sequences[index] = running.Lower <= running.Upper ? running : (look.Lower, look.Upper);
        }

        var interval = sequences[index];
        return new ScoreDifference(baseline.Values.Count, summary.Values.Count, diff, interval?.Lower, interval?.Upper);
    }
}
