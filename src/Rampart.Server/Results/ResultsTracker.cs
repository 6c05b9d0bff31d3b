using System.Collections.Concurrent;
using Rampart.Analysis;
using Rampart.Analysis.Aggregation;
using Rampart.Analysis.Checkpoints;
using Rampart.Analysis.Monitoring;
using Rampart.Analysis.Results;
using Rampart.Analysis.Timelines;
using Rampart.Core.Events;
using Rampart.Core.Rollouts;

namespace Rampart.Server.Results;

/// <summary>
/// Per-experiment aggregates kept up to date event by event (Rampart.Analysis' mergeable aggregates, latencies in a 1%
/// quantile sketch), so a results query costs the same for a thousand events as for a hundred million. The analysis of
/// an unchanged aggregate is cached. Beside them, the monitor's <see cref="RolloutSignals"/> (guardrail segments, units per
/// stage, incremental score sums) and the dashboard's <see cref="TimelineRecorder"/> from the same events.
/// </summary>
internal sealed class ResultsTracker
{
    private readonly ConcurrentDictionary<string, Tracked> experiments = new(StringComparer.Ordinal);

    /// <summary>Adds one stored event.</summary>
    public void Add(StoredEvent stored)
    {
        var tracked = experiments.GetOrAdd(stored.Event.Experiment, NewTracked);
        lock (tracked)
        {
            tracked.Aggregate.Add(stored.Event, stored.Position);
            tracked.Signals.Add(stored.Event, stored.Position);
            tracked.Timeline.Add(stored.Event, stored.Position);
            tracked.Changes++;
        }
    }

    /// <summary>
    /// Replaces the aggregates of <paramref name="experiment"/> with those <paramref name="rebuilt"/> holds for it, in one
    /// step: a reader sees the old ones or the new ones, never a mix.
    /// </summary>
    public void Replace(string experiment, ResultsTracker rebuilt)
    {
        ArgumentNullException.ThrowIfNull(rebuilt);
        experiments[experiment] = rebuilt.experiments.GetOrAdd(experiment, NewTracked);
    }

    /// <summary>What the monitor should do now about <paramref name="experiment"/> (<see cref="MonitorEngine"/>).</summary>
    public MonitorDecision Decide(Experiment experiment, DateTimeOffset now)
    {
        var tracked = experiments.GetOrAdd(experiment.Key, NewTracked);
        lock (tracked)
        {
            return MonitorEngine.Evaluate(experiment, tracked.Signals, now);
        }
    }

    /// <summary>The results document of <paramref name="experiment"/> from its aggregates; throws <see cref="AnalysisException"/>.</summary>
    public ResultsDocument Analyze(Experiment experiment)
    {
        var tracked = experiments.GetOrAdd(experiment.Key, NewTracked);
        lock (tracked)
        {
            if (tracked.Cached is { } cached && tracked.CachedChanges == tracked.Changes && tracked.CachedVersion == experiment.Version)
            {
                return cached;
            }

            var document = ExperimentAnalyzer.Analyze(Listed(tracked.Aggregate, experiment), AnalysisOptions.For(experiment));
            tracked.Cached = document;
            tracked.CachedChanges = tracked.Changes;
            tracked.CachedVersion = experiment.Version;
            return document;
        }
    }

    /// <summary>
    /// Per listed variant, the latency of successful completions at each of <paramref name="quantiles"/> from the same
    /// sketch the results' p50/p95/p99 come from; null entries when a variant has none.
    /// </summary>
    public IReadOnlyList<(string Variant, long Count, double?[] Values)> LatencyQuantiles(Experiment experiment, IReadOnlyList<double> quantiles)
    {
        var tracked = experiments.GetOrAdd(experiment.Key, NewTracked);
        lock (tracked)
        {
            return [.. experiment.Definition.VariantNames.Select(name => tracked.Aggregate.Find(name) is { } variant
                ? (name, variant.Latency.Count, quantiles.Select(variant.LatencyQuantile).ToArray())
                : (name, 0L, new double?[quantiles.Count]))];
        }
    }

    /// <summary>
    /// The timeline of <paramref name="score"/> (the primary score when null) of <paramref name="experiment"/> in up to
    /// <paramref name="windows"/> windows (<see cref="TimelineRecorder"/>).
    /// </summary>
    public Timeline Timeline(Experiment experiment, int windows, string? score = null)
    {
        var tracked = experiments.GetOrAdd(experiment.Key, NewTracked);
        var definition = experiment.Definition;
        lock (tracked)
        {
            return tracked.Timeline.Build(definition.VariantNames, definition.Control, score ?? definition.PrimaryScore, windows);
        }
    }

    /// <summary>
    /// Writes every experiment's aggregates, signals and timeline. The caller makes sure no event is added meanwhile
    /// (the follower writes between its reads), so all of them cover the same events.
    /// </summary>
    public void Write(CheckpointWriter writer)
    {
        var tracked = experiments.Values.ToList();
        writer.Write(tracked.Count);
        foreach (var t in tracked)
        {
            lock (t)
            {
                t.Aggregate.Write(writer);
                t.Signals.Write(writer);
                t.Timeline.Write(writer);
            }
        }
    }

    /// <summary>Reads, into this empty tracker, what <see cref="Write"/> wrote.</summary>
    public void Read(CheckpointReader reader)
    {
        CheckpointReader.Check(experiments.IsEmpty, "A checkpoint can only be read into empty results.");
        var count = reader.ReadCount();
        var read = new Dictionary<string, Tracked>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var aggregate = ExperimentAggregate.Read(reader);
            var signals = RolloutSignals.Read(reader);
            var timeline = TimelineRecorder.Read(reader);
            CheckpointReader.Check(aggregate.Mode == QuantileMode.Sketch && signals.Experiment == aggregate.Experiment && read.TryAdd(aggregate.Experiment, new Tracked(aggregate, signals, timeline)),
                $"Experiment '{aggregate.Experiment}' is not one experiment's results kept as the server keeps them.");
        }

        foreach (var (key, tracked) in read)
        {
            experiments[key] = tracked;
        }
    }

    /// <summary>Forgets every experiment's aggregates (a checkpoint that could not be read is rebuilt from the events).</summary>
    public void Clear() => experiments.Clear();

    // Events of a variant the definition does not list (imported before a definition changed) are left out of its results.
    private static ExperimentAggregate Listed(ExperimentAggregate aggregate, Experiment experiment)
    {
        var definition = experiment.Definition;
        if (aggregate.Variants.All(v => definition.IndexOf(v.Name) >= 0))
        {
            return aggregate;
        }

        return aggregate.Subset(name => definition.IndexOf(name) >= 0);
    }

    private static Tracked NewTracked(string key) => new(new ExperimentAggregate(key, QuantileMode.Sketch), new RolloutSignals(key), new TimelineRecorder(key));

    private sealed class Tracked(ExperimentAggregate aggregate, RolloutSignals signals, TimelineRecorder timeline)
    {
        public ExperimentAggregate Aggregate { get; } = aggregate;

        public RolloutSignals Signals { get; } = signals;

        public TimelineRecorder Timeline { get; } = timeline;

        public long Changes { get; set; }

        public ResultsDocument? Cached { get; set; }

        public long CachedChanges { get; set; } = -1;

        public long CachedVersion { get; set; } = -1;
    }
}
