using Rampart.Analysis.Aggregation;
using Rampart.Analysis.Comparisons;
using Rampart.Core.Events;
using Rampart.Stats.Hypothesis;
using Rampart.Stats.Ratios;
using Rampart.Stats.Sequential;

namespace Rampart.Analysis.Timelines;

/// <summary>
/// Keeps one experiment's history in time buckets as its events are stored, so a <see cref="Timeline"/> costs O(buckets)
/// whatever the number of events. Each bucket holds, per variant, its exposures and completions and, per score, the
/// changes its feedback made to the per-unit sums the delta method needs (<see cref="ScoreSums"/>; the latest feedback per
/// <c>request_id</c> wins, as in the results). Buckets start 100 ms wide from the first event; when an event falls beyond
/// <see cref="MaxBuckets"/> buckets, neighbours merge pairwise and the width doubles (the sums are additive, so nothing is
/// lost). Cumulative sums up to a bucket are exact when events are stored in time order; an event stored late counts at
/// its own time with its unit's totals as they were when it was stored. Not thread-safe: the caller locks.
/// </summary>
public sealed class TimelineRecorder
{
    /// <summary>The most buckets kept; a timeline has at most this many windows.</summary>
    public const int MaxBuckets = 1024;

    private const double Alpha = 0.05;
    private readonly string experiment;
    private readonly Dictionary<string, int> variantIndex = new(StringComparer.Ordinal);
    private readonly List<VariantFeedback> feedback = [];
    private readonly List<Bucket> buckets = [];
    private long origin = long.MinValue;
    private const long FirstWidth = TimeSpan.TicksPerSecond / 10;
    private long width = FirstWidth;

    /// <summary>Creates an empty recorder of experiment <paramref name="experiment"/>.</summary>
    public TimelineRecorder(string experiment) => this.experiment = experiment;

    /// <summary>Adds one stored event.</summary>
    /// <param name="e">The event.</param>
    /// <param name="sequence">Its store position: among feedback for one request with equal timestamps, the later wins.</param>
    public void Add(ExperimentEvent e, long sequence)
    {
        EventNumberRules.ThrowIfInvalid(e);
        if (e.Shadow)
        {
            return;   // nobody was served a shadow answer: it is compared in pairs, not charted as traffic (docs/shadow.md)
        }

        var variant = IndexOf(e.Variant);
        var bucket = BucketOf(e.Ts.UtcTicks).Slot(variant);
        switch (e.Type)
        {
            case EventType.Exposure:
                bucket.Exposures++;
                break;
            case EventType.Completion:
                bucket.Completions++;
                break;
            default:
                if (e.Score is { } score && e.Value is { } value && double.IsFinite(value))
                {
                    feedback[variant].Add(score, bucket.Score(score), EventKey.Of(e.Unit), e.RequestId is null ? null : EventKey.Of(e.RequestId), e.Ts.UtcTicks, sequence, value);
                }

                break;
        }
    }

    /// <summary>
    /// The timeline of <paramref name="score"/> for <paramref name="variants"/> in up to <paramref name="windows"/> windows of
    /// whole buckets: traffic per window, and per variant the difference against <paramref name="control"/> so far with
    /// its 95% confidence sequence (the running intersection of the mSPRT's always-valid intervals, tuned as
    /// <c>p_value_sequential</c> is). Events of variants not listed are left out, as in the results.
    /// </summary>
    public Timeline Build(IReadOnlyList<string> variants, string control, string score, int windows)
    {
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentOutOfRangeException.ThrowIfLessThan(windows, 1);
        var listed = variants.Select(v => variantIndex.GetValueOrDefault(v, -1)).ToArray();
        var controlAt = IndexIn(variants, control);
        var start = origin == long.MinValue ? DateTimeOffset.UnixEpoch : new DateTimeOffset(origin, TimeSpan.Zero);
        var perWindow = Math.Max(1, (buckets.Count + windows - 1) / windows);
        var totals = new ScoreSums[variants.Count];
        var sequences = new ConfidenceInterval?[variants.Count];
        var points = new List<TimelinePoint>();
        var hasExposures = buckets.Any(b => b.Slots.Any(s => s?.Exposures > 0));
        for (var first = 0; first < buckets.Count; first += perWindow)
        {
            var traffic = new long[variants.Count];
            for (var b = first; b < Math.Min(buckets.Count, first + perWindow); b++)
            {
                for (var v = 0; v < variants.Count; v++)
                {
                    if (listed[v] >= 0 && buckets[b].Find(listed[v]) is { } slot)
                    {
                        traffic[v] += hasExposures ? slot.Exposures : slot.Completions;
                        if (slot.Scores.TryGetValue(score, out var sums))
                        {
                            totals[v].Add(sums);
                        }
                    }
                }
            }

            // A window ending past the last representable time (an event at 9999-12-31T23:59:59Z is a valid timestamp) ends there.
            var span = width * Math.Min(buckets.Count, first + perWindow);
            var end = span <= DateTimeOffset.MaxValue.UtcTicks - start.UtcTicks ? start.AddTicks(span) : DateTimeOffset.MaxValue;
            var differences = new Dictionary<string, ScoreDifference>(StringComparer.Ordinal);
            var binary = totals.All(t => t.NonBinary == 0);
            for (var v = 0; v < variants.Count; v++)
            {
                if (v != controlAt)
                {
                    differences[variants[v]] = Difference(totals[controlAt], totals[v], binary, ref sequences[v]);
                }
            }

            points.Add(new TimelinePoint(end, variants.Select((name, v) => (name, v)).ToDictionary(x => x.name, x => traffic[x.v], StringComparer.Ordinal), differences));
        }

        return new Timeline(experiment, control, score, variants, start, points.Count > 0 ? points[^1].End : start, points);
    }

    /// <summary>Writes the whole state (variants, buckets, each score's units and requests), for <see cref="Read"/>.</summary>
    public void Write(Checkpoints.CheckpointWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(experiment);
        writer.Write(origin);
        writer.Write(width);
        writer.Write(variantIndex.Count);
        foreach (var (variant, index) in variantIndex)
        {
            writer.Write(variant);
            writer.Write(index);
            feedback[index].Write(writer);
        }

        writer.Write(buckets.Count);
        buckets.ForEach(bucket => bucket.Write(writer));
    }

    /// <summary>Reads a recorder <see cref="Write"/> wrote.</summary>
    public static TimelineRecorder Read(Checkpoints.CheckpointReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var recorder = new TimelineRecorder(reader.ReadString()) { origin = reader.ReadInt64(), width = reader.ReadInt64() };
        Checkpoints.CheckpointReader.Check(recorder.width >= FirstWidth && recorder.width % FirstWidth == 0, "A timeline's bucket width is invalid.");
        var variants = reader.ReadCount();
        for (var i = 0; i < variants; i++)
        {
            var (variant, index) = (reader.ReadString(), reader.ReadInt32());
            Checkpoints.CheckpointReader.Check(index == i && recorder.variantIndex.TryAdd(variant, index), "A timeline's variants are out of order.");
            recorder.feedback.Add(VariantFeedback.Read(reader));
        }

        var buckets = reader.ReadCount(MaxBuckets);
        for (var i = 0; i < buckets; i++)
        {
            recorder.buckets.Add(Bucket.Read(reader, variants));
        }

        return recorder;
    }

    private static ScoreDifference Difference(in ScoreSums control, in ScoreSums variant, bool binary, ref ConfidenceInterval? sequence)
    {
        var c = control.ToAccumulator();
        var v = variant.ToAccumulator();
        double? diff = c.Ratio is { } rc && v.Ratio is { } rv ? rv - rc : null;
        var clustered = DeltaMethodTest.Compare(c, v);
        double? tau = binary
            ? SequentialTuning.BinaryScore
            : c.Ratio is { } mean && mean != 0 ? SequentialTuning.RelativeToControlMean * Math.Abs(mean) : null;
        if (tau is { } t && clustered.Difference is { } d && clustered.StandardError is { } se && Msprt.AlwaysValidInterval(d, se * se, t, Alpha) is { } look)
        {
            // The confidence sequence is the running intersection; an empty one (the plug-in variance moved) restarts from this look.
            var running = sequence is { } previous ? new ConfidenceInterval(Math.Max(previous.Lower, look.Lower), Math.Min(previous.Upper, look.Upper)) : look;
            sequence = running.Lower <= running.Upper ? running : look;
        }

        return new ScoreDifference((long)control.SumN, (long)variant.SumN, diff, sequence?.Lower, sequence?.Upper);
    }

    private static int IndexIn(IReadOnlyList<string> variants, string control)
    {
        for (var i = 0; i < variants.Count; i++)
        {
            if (variants[i] == control)
            {
                return i;
            }
        }

        throw new ArgumentException($"The control '{control}' is not among the variants.", nameof(control));
    }

    private int IndexOf(string variant)
    {
        if (!variantIndex.TryGetValue(variant, out var index))
        {
            index = variantIndex.Count;
            variantIndex.Add(variant, index);
            feedback.Add(new VariantFeedback());
        }

        return index;
    }

    private Bucket BucketOf(long ticks)
    {
        if (origin == long.MinValue)
        {
            origin = ticks - (ticks % FirstWidth);
        }

        var index = ticks < origin ? 0 : (ticks - origin) / width;
        while (index >= MaxBuckets)
        {
            Halve();
            index = (ticks - origin) / width;
        }

        while (buckets.Count <= index)
        {
            buckets.Add(new Bucket());
        }

        return buckets[(int)index];
    }

    private void Halve()
    {
        for (var i = 0; i < buckets.Count; i += 2)
        {
            var merged = buckets[i];
            if (i + 1 < buckets.Count)
            {
                merged.Merge(buckets[i + 1]);
            }

            buckets[i / 2] = merged;
        }

        buckets.RemoveRange((buckets.Count + 1) / 2, buckets.Count - ((buckets.Count + 1) / 2));
        width *= 2;
    }

    private sealed class Bucket
    {
        public List<Slot?> Slots { get; } = [];

        public Slot? Find(int variant) => variant < Slots.Count ? Slots[variant] : null;

        public Slot Slot(int variant)
        {
            while (Slots.Count <= variant)
            {
                Slots.Add(null);
            }

            return Slots[variant] ??= new Slot();
        }

        public void Write(Checkpoints.CheckpointWriter writer)
        {
            writer.Write(Slots.Count);
            foreach (var slot in Slots)
            {
                writer.Write(slot is not null);
                slot?.Write(writer);
            }
        }

        public static Bucket Read(Checkpoints.CheckpointReader reader, int variants)
        {
            var bucket = new Bucket();
            var slots = reader.ReadCount(variants);
            for (var i = 0; i < slots; i++)
            {
                bucket.Slots.Add(reader.ReadBoolean() ? TimelineRecorder.Slot.Read(reader) : null);
            }

            return bucket;
        }

        public void Merge(Bucket other)
        {
            for (var v = 0; v < other.Slots.Count; v++)
            {
                if (other.Slots[v] is { } slot)
                {
                    Slot(v).Merge(slot);
                }
            }
        }
    }

    private sealed class Slot
    {
        public long Exposures { get; set; }

        public long Completions { get; set; }

        public Dictionary<string, ScoreSums> Scores { get; } = new(StringComparer.Ordinal);

        public ScoreSumsRef Score(string score) => new(this, score);

        public void Write(Checkpoints.CheckpointWriter writer)
        {
            writer.Write(Exposures);
            writer.Write(Completions);
            writer.Write(Scores.Count);
            foreach (var (score, sums) in Scores)
            {
                writer.Write(score);
                sums.Write(writer);
            }
        }

        public static Slot Read(Checkpoints.CheckpointReader reader)
        {
            var slot = new Slot { Exposures = reader.ReadInt64(), Completions = reader.ReadInt64() };
            var scores = reader.ReadCount();
            for (var i = 0; i < scores; i++)
            {
                Checkpoints.CheckpointReader.Check(slot.Scores.TryAdd(reader.ReadString(), ScoreSums.Read(reader)), "A score appears twice in a timeline slot.");
            }

            return slot;
        }

        public void Merge(Slot other)
        {
            Exposures += other.Exposures;
            Completions += other.Completions;
            foreach (var (score, sums) in other.Scores)
            {
                var mine = Scores.GetValueOrDefault(score);
                mine.Add(sums);
                Scores[score] = mine;
            }
        }
    }

    /// <summary>Where a feedback's changes to a score's sums go: one slot's entry for that score.</summary>
    private readonly record struct ScoreSumsRef(Slot Slot, string Score)
    {
        public void Change(double y0, long n0, double y1, long n1, long nonBinary)
        {
            var sums = Slot.Scores.GetValueOrDefault(Score);
            sums.Change(y0, n0, y1, n1);
            sums.NonBinary += nonBinary;
            Slot.Scores[Score] = sums;
        }
    }

    // Per score of one variant: each unit's totals and the ledger of each request's winning feedback, to turn a feedback into the change it makes.
    private sealed class VariantFeedback
    {
        private readonly Dictionary<string, (KeyTable<UnitScore> Units, FeedbackLedger Requests)> scores = new(StringComparer.Ordinal);

        public void Write(Checkpoints.CheckpointWriter writer)
        {
            writer.Write(scores.Count);
            foreach (var (score, (units, requests)) in scores)
            {
                writer.Write(score);
                requests.Write(writer);
                units.Write(writer);
            }
        }

        public static VariantFeedback Read(Checkpoints.CheckpointReader reader)
        {
            var feedback = new VariantFeedback();
            var scores = reader.ReadCount();
            for (var i = 0; i < scores; i++)
            {
                var (score, requests) = (reader.ReadString(), FeedbackLedger.Read(reader));
                Checkpoints.CheckpointReader.Check(feedback.scores.TryAdd(score, (KeyTable<UnitScore>.Read(reader), requests)), "A score appears twice in a timeline's feedback.");
            }

            return feedback;
        }

        public void Add(string score, ScoreSumsRef target, EventKey unit, EventKey? request, long ts, long sequence, double value)
        {
            if (!scores.TryGetValue(score, out var state))
            {
                state = (new KeyTable<UnitScore>(), new FeedbackLedger());
                scores.Add(score, state);
            }

            FeedbackEntry? replaced = null;
            if (request is { } key && !state.Requests.Record(key, new FeedbackEntry(unit, ts, sequence, value), out replaced))
            {
                return; // An older rating of a request already rated: the later one stays.
            }

            if (replaced is { } previous)
            {
                // The request's value changes: its old value leaves its unit, the new one joins (N unchanged for one unit).
                Move(state.Units, target, previous.Unit, -previous.Value, -1, previous.Value is 0 or 1 ? 0 : -1);
            }

            Move(state.Units, target, unit, value, 1, value is 0 or 1 ? 0 : 1);
        }

        private static void Move(KeyTable<UnitScore> units, ScoreSumsRef target, EventKey unit, double value, long count, long nonBinary)
        {
            ref var totals = ref units.GetOrAdd(unit, out _);
            var (y0, n0) = (totals.Sum, totals.Count);
            var (y1, n1) = (y0 + value, n0 + count);
            (totals.Sum, totals.Count) = (y1, n1);
            target.Change(y0, n0, y1, n1, nonBinary);
        }
    }
}
