using Rampart.Analysis.Shadow;
using Rampart.Core.Events;

namespace Rampart.Analysis.Aggregation;

/// <summary>One experiment's events, per variant; variants appear in the order their first event was seen.</summary>
public sealed class ExperimentAggregate
{
    private readonly Dictionary<string, VariantAggregate> variants = new(StringComparer.Ordinal);
    private readonly List<VariantAggregate> order = [];
    private readonly Dictionary<(int Stage, string Variant), StageUnits> stages = [];
    private readonly SortedDictionary<string, JudgeCalls> judges = new(StringComparer.Ordinal);

    /// <summary>Creates an empty aggregate of experiment <paramref name="experiment"/>.</summary>
    public ExperimentAggregate(string experiment, QuantileMode mode = QuantileMode.Exact)
    {
        ArgumentException.ThrowIfNullOrEmpty(experiment);
        Experiment = experiment;
        Mode = mode;
    }

    /// <summary>The experiment's key.</summary>
    public string Experiment { get; }

    /// <summary>How latencies are kept.</summary>
    public QuantileMode Mode { get; }

    /// <summary>The variants with events, in the order first seen.</summary>
    public IReadOnlyList<VariantAggregate> Variants => order;

    /// <summary>True when any variant has an exposure: units are then counted among exposures, else among completions (docs/statistics.md).</summary>
    public bool HasExposures => order.Any(v => v.Exposures > 0);

    /// <summary>The earliest event's time, or null before the first event.</summary>
    public DateTimeOffset? FirstEventAt { get; private set; }

    /// <summary>The latest event's time, or null before the first event.</summary>
    public DateTimeOffset? LastEventAt { get; private set; }

    /// <summary>True when any exposure or completion carried the stage that served it.</summary>
    public bool HasStages => stages.Count > 0;

    /// <summary>Distinct units of <paramref name="variant"/> among the events served at <paramref name="stage"/> (0-based).</summary>
    public long UnitsAtStage(int stage, string variant, bool fromExposures) =>
        stages.TryGetValue((stage, variant), out var units) ? units.Count(fromExposures) : 0;

    /// <summary>The judges' calls (feedback whose <c>source</c> is <c>judge</c>), by score name.</summary>
    public IReadOnlyDictionary<string, JudgeCalls> Judges => judges;

    /// <summary>The shadow stage's pairs (docs/shadow.md): served completions joined with shadow completions and their verdicts.</summary>
    public PairedAggregate Paired { get; private set; } = new();

    /// <summary>Records a judge's call (a feedback event whose <c>source</c> is <c>judge</c>): its model and cost, kept apart from the variant's cost.</summary>
    /// <param name="score">The judge's score.</param>
    /// <param name="variant">The variant whose response was judged.</param>
    /// <param name="model">The judge model, or null.</param>
    /// <param name="tsTicks">The event's timestamp in UTC ticks.</param>
    /// <param name="sequence">Its position.</param>
    /// <param name="costUsd">The judge call's cost, or null.</param>
    /// <param name="request">The judged request, or null.</param>
    public void AddJudgeCall(string score, string variant, string? model, long tsTicks, long sequence, double? costUsd, EventKey? request = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(score);
        JudgeOf(score).Add(variant, model, tsTicks, sequence, costUsd, request);
    }

    /// <summary>The aggregate of <paramref name="variant"/>, or null when it has no events.</summary>
    public VariantAggregate? Find(string variant) => variants.GetValueOrDefault(variant);

    /// <summary>The aggregate of <paramref name="variant"/>, created empty when it has no events yet.</summary>
    public VariantAggregate GetOrAdd(string variant)
    {
        if (!variants.TryGetValue(variant, out var aggregate))
        {
            aggregate = new VariantAggregate(variant, Mode);
            variants.Add(variant, aggregate);
            order.Add(aggregate);
        }

        return aggregate;
    }

    /// <summary>Adds one event of this experiment.</summary>
    /// <param name="e">The event.</param>
    /// <param name="sequence">Its position (line number, store order): among feedback for one request with equal timestamps, the later wins.</param>
    public void Add(ExperimentEvent e, long sequence)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Experiment != Experiment)
        {
            throw new ArgumentException($"The event belongs to experiment '{e.Experiment}', not '{Experiment}'.", nameof(e));
        }

        EventNumberRules.ThrowIfInvalid(e);
        if (e.Shadow)
        {
            AddShadow(e, sequence);   // nobody was served a shadow answer: it counts only in the paired analysis (docs/shadow.md)
            return;
        }

        var variant = GetOrAdd(e.Variant);
        var unit = EventKey.Of(e.Unit);
        Observe(e.Ts, e.Ts);
        if (e.Stage is { } stage && e.Type != EventType.Feedback)
        {
            StageOf(stage, e.Variant).Add(unit, e.Type == EventType.Exposure);
        }

        switch (e.Type)
        {
            case EventType.Exposure:
                variant.AddExposure(unit);
                break;
            case EventType.Completion when CancelledCall.Is(e):
                break;
            case EventType.Completion:
                variant.AddCompletion(unit, e.LatencyMs ?? 0, e.Error is not null, e.CostUsd, e.PromptTokens, e.CompletionTokens);
                if (e.PairId is not null)
                {
                    Paired.AddServed(EventKey.Of(e.PairId), new PairedCall(sequence, e.Error is not null, e.LatencyMs ?? 0, e.CostUsd));
                }

                break;
            default:
                EventKey? request = e.RequestId is null ? null : EventKey.Of(e.RequestId);
                variant.AddFeedback(e.Score!, unit, request, e.Ts.UtcTicks, sequence, e.Value ?? 0);
                if (e.Source == Core.Experiments.JudgeDefinition.Source)
                {
                    AddJudgeCall(e.Score!, e.Variant, e.Model, e.Ts.UtcTicks, sequence, e.CostUsd, request);
                    if (request is { } served)
                    {
                        Paired.AddServedVerdict(e.Score!, served, new PairedVerdict(e.Ts.UtcTicks, sequence, e.Value ?? 0));
                    }
                }

                break;
        }
    }

    // A shadow completion or a verdict on a shadow answer: only the paired analysis sees it.
    private void AddShadow(ExperimentEvent e, long sequence)
    {
        var pair = EventKey.Of(e.PairId!);
        if (e.Type == EventType.Completion && !CancelledCall.Is(e))
        {
            Paired.AddShadow(e.Variant, pair, new PairedCall(sequence, e.Error is not null, e.LatencyMs ?? 0, e.CostUsd));
        }
        else if (e.Type == EventType.Feedback && e.Score is not null)
        {
            Paired.AddShadowVerdict(e.Variant, e.Score, pair, new PairedVerdict(e.Ts.UtcTicks, sequence, e.Value ?? 0));
            if (e.Source == Core.Experiments.JudgeDefinition.Source)
            {
                // What the judge spent on a shadow answer is still its spend: counted in the judge's cost for the variant.
                AddJudgeCall(JudgeScoreOf(e.Score), e.Variant, e.Model, e.Ts.UtcTicks, sequence, e.CostUsd);
            }
        }
    }

    /// <summary>The judge's own score of a verdict's score: <c>judge_x</c> for <c>judge_x</c> and for its preference <c>judge_x_preference</c>.</summary>
    internal static string JudgeScoreOf(string score) =>
        score.EndsWith(Core.Experiments.JudgeDefinition.PreferenceSuffix, StringComparison.Ordinal) ? score[..^Core.Experiments.JudgeDefinition.PreferenceSuffix.Length] : score;

    /// <summary>Adds every event of <paramref name="other"/> (the same experiment, kept the same way) to this aggregate.</summary>
    public void Merge(ExperimentAggregate other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Experiment != Experiment || other.Mode != Mode)
        {
            throw new ArgumentException($"Cannot merge experiment '{other.Experiment}' ({other.Mode}) into '{Experiment}' ({Mode}).", nameof(other));
        }

        foreach (var variant in other.order)
        {
            GetOrAdd(variant.Name).Merge(variant);
        }

        foreach (var ((stage, variant), units) in other.stages)
        {
            StageOf(stage, variant).Merge(units);
        }

        foreach (var (score, calls) in other.judges)
        {
            JudgeOf(score).Merge(calls);
        }

        Paired.Merge(other.Paired);

        if (other.FirstEventAt is { } first && other.LastEventAt is { } last)
        {
            Observe(first, last);
        }
    }

    /// <summary>Records an event's time (UTC ticks) read without building the event.</summary>
    internal void ObserveTicks(long utcTicks)
    {
        var at = new DateTimeOffset(utcTicks, TimeSpan.Zero);
        Observe(at, at);
    }

    /// <summary>A copy holding only the variants <paramref name="keep"/> accepts, with their per-stage units and the event times.</summary>
    public ExperimentAggregate Subset(Func<string, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var subset = new ExperimentAggregate(Experiment, Mode);
        foreach (var variant in order.Where(v => keep(v.Name)))
        {
            subset.GetOrAdd(variant.Name).Merge(variant);
        }

        foreach (var ((stage, variant), units) in stages.Where(s => keep(s.Key.Variant)))
        {
            subset.StageOf(stage, variant).Merge(units);
        }

        foreach (var (score, calls) in judges)
        {
            subset.judges.Add(score, calls.Subset(keep));
        }

        subset.Paired = new PairedAggregate(Paired.MaxUnmatched);
        subset.Paired.Merge(Paired);
        (subset.FirstEventAt, subset.LastEventAt) = (FirstEventAt, LastEventAt);
        return subset;
    }

    /// <summary>Writes the whole state (variants in the order first seen, units per stage, judges, pairs, event times), for <see cref="Read"/>.</summary>
    public void Write(Checkpoints.CheckpointWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Experiment);
        writer.Write((int)Mode);
        writer.Write(FirstEventAt?.UtcTicks ?? -1);
        writer.Write(LastEventAt?.UtcTicks ?? -1);
        writer.Write(order.Count);
        foreach (var variant in order)
        {
            variant.Write(writer);
        }

        writer.Write(stages.Count);
        foreach (var ((stage, variant), units) in stages)
        {
            writer.Write(stage);
            writer.Write(variant);
            units.Write(writer);
        }

        writer.Write(judges.Count);
        foreach (var calls in judges.Values)
        {
            calls.Write(writer);
        }

        Paired.Write(writer);
    }

    /// <summary>Reads an aggregate <see cref="Write"/> wrote; throws <see cref="Checkpoints.CheckpointFormatException"/> or <see cref="EndOfStreamException"/> when it cannot be one.</summary>
    public static ExperimentAggregate Read(Checkpoints.CheckpointReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var key = reader.ReadString();
        var mode = (QuantileMode)reader.ReadInt32();
        Checkpoints.CheckpointReader.Check(key.Length > 0 && Enum.IsDefined(mode), "An experiment aggregate's key or mode is invalid.");
        var aggregate = new ExperimentAggregate(key, mode);
        var (first, last) = (reader.ReadInt64(), reader.ReadInt64());
        if (first >= 0)
        {
            Checkpoints.CheckpointReader.Check(first <= DateTimeOffset.MaxValue.UtcTicks && last >= first && last <= DateTimeOffset.MaxValue.UtcTicks, "An experiment aggregate's event times are invalid.");
            aggregate.Observe(new DateTimeOffset(first, TimeSpan.Zero), new DateTimeOffset(last, TimeSpan.Zero));
        }

        var variants = reader.ReadCount();
        for (var i = 0; i < variants; i++)
        {
            var variant = VariantAggregate.Read(reader);
            Checkpoints.CheckpointReader.Check(variant.Mode == mode && aggregate.variants.TryAdd(variant.Name, variant), $"Variant '{variant.Name}' appears twice in an experiment aggregate.");
            aggregate.order.Add(variant);
        }

        var stages = reader.ReadCount();
        for (var i = 0; i < stages; i++)
        {
            var at = (reader.ReadInt32(), reader.ReadString());
            Checkpoints.CheckpointReader.Check(aggregate.stages.TryAdd(at, StageUnits.Read(reader)), "A stage appears twice in an experiment aggregate.");
        }

        var judges = reader.ReadCount();
        for (var i = 0; i < judges; i++)
        {
            var calls = JudgeCalls.Read(reader);
            Checkpoints.CheckpointReader.Check(aggregate.judges.TryAdd(calls.Score, calls), $"Judge score '{calls.Score}' appears twice in an experiment aggregate.");
        }

        aggregate.Paired = PairedAggregate.Read(reader);
        return aggregate;
    }

    private void Observe(DateTimeOffset first, DateTimeOffset last)
    {
        FirstEventAt = FirstEventAt is { } f && f <= first ? f : first;
        LastEventAt = LastEventAt is { } l && l >= last ? l : last;
    }

    private JudgeCalls JudgeOf(string score)
    {
        if (!judges.TryGetValue(score, out var calls))
        {
            calls = new JudgeCalls(score);
            judges.Add(score, calls);
        }

        return calls;
    }

    private StageUnits StageOf(int stage, string variant)
    {
        if (!stages.TryGetValue((stage, variant), out var units))
        {
            units = new StageUnits();
            stages.Add((stage, variant), units);
        }

        return units;
    }
}
