using Rampart.Analysis.Aggregation;
using Rampart.Analysis.Shadow;
using Rampart.Core.Events;

namespace Rampart.Analysis.Monitoring;

/// <summary>
/// One experiment's events reduced to what the monitor decides on (<see cref="MonitorEngine"/>): per variant its guardrail
/// counts, units and scores, and per stage the distinct units of each variant (events carry the <c>stage</c> that served
/// them) for the sample-ratio check; and, for a shadow stage, per shadow variant the same signals fed by its shadow completions
/// and the verdicts on its shadow answers, and the pairs (<see cref="PairedAggregate"/>). Units and requests are kept by their 64-bit keys, as the aggregates keep them. O(1)
/// per event; not thread-safe (callers lock).
/// </summary>
public sealed class RolloutSignals
{
    private readonly Dictionary<string, VariantSignals> variants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, VariantSignals> shadows = new(StringComparer.Ordinal);
    private readonly Dictionary<(int Stage, string Variant), StageUnits> stages = [];
    private readonly GuardrailTuning tuning;

    /// <summary>Creates empty signals of experiment <paramref name="experiment"/>.</summary>
    public RolloutSignals(string experiment, GuardrailTuning? tuning = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(experiment);
        Experiment = experiment;
        this.tuning = tuning ?? GuardrailTuning.Default;
    }

    /// <summary>The experiment's key.</summary>
    public string Experiment { get; }

    /// <summary>The tuning of the guardrail tests.</summary>
    public GuardrailTuning Tuning => tuning;

    /// <summary>True once any exposure was seen: units are then counted among exposures, else among completions (docs/statistics.md).</summary>
    public bool HasExposures { get; private set; }

    /// <summary>Events added.</summary>
    public long Events { get; private set; }

    /// <summary>The signals of <paramref name="variant"/>, or null when it has no events.</summary>
    public VariantSignals? Find(string variant) => variants.GetValueOrDefault(variant);

    /// <summary>The signals of <paramref name="variant"/>'s shadow calls and the verdicts on their answers, or null when it has none.</summary>
    public VariantSignals? FindShadow(string variant) => shadows.GetValueOrDefault(variant);

    /// <summary>The shadow stage's pairs: served completions joined with shadow completions and the verdicts on both answers.</summary>
    public PairedAggregate Paired { get; private set; } = new();

    /// <summary>Distinct units of <paramref name="variant"/> among the events served at <paramref name="stage"/>.</summary>
    public long UnitsAtStage(int stage, string variant) =>
        stages.TryGetValue((stage, variant), out var units) ? units.Count(HasExposures) : 0;

    /// <summary>Adds one event of this experiment (events of other experiments are ignored), positioned after those added before.</summary>
    public void Add(ExperimentEvent e) => Add(e, Events + 1);

    /// <summary>Adds one stored event of this experiment (events of other experiments are ignored).</summary>
    /// <param name="e">The event.</param>
    /// <param name="sequence">Its store position: among feedback for one request with equal timestamps, the later wins, as in the results.</param>
    public void Add(ExperimentEvent e, long sequence)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Experiment != Experiment)
        {
            return;
        }

        EventNumberRules.ThrowIfInvalid(e);
        Events++;
        if (e.Shadow)
        {
            AddShadow(e, sequence);   // nobody was served a shadow answer: it counts only in the shadow gate (docs/shadow.md)
            return;
        }

        var variant = GetOrAdd(e.Variant);
        var unit = EventKey.Of(e.Unit);
        switch (e.Type)
        {
            case EventType.Exposure:
                HasExposures = true;
                variant.AddExposure(unit);
                break;
            case EventType.Completion when CancelledCall.Is(e):
                break;
            case EventType.Completion:
                variant.AddCompletion(unit, e.Error is not null, e.LatencyMs ?? 0);
                if (e.PairId is not null)
                {
                    Paired.AddServed(EventKey.Of(e.PairId), new PairedCall(sequence, e.Error is not null, e.LatencyMs ?? 0, e.CostUsd));
                }

                break;
            default:
                if (e.Score is not null && e.Value is { } value)
                {
                    variant.AddFeedback(e.Score, unit, e.RequestId is null ? null : EventKey.Of(e.RequestId), e.Ts.UtcTicks, sequence, value);
                    if (e.RequestId is not null && e.Source == Core.Experiments.JudgeDefinition.Source)
                    {
                        Paired.AddServedVerdict(e.Score, EventKey.Of(e.RequestId), new PairedVerdict(e.Ts.UtcTicks, sequence, value));
                    }
                }

                break;
        }

        if (e.Stage is { } stage && e.Type != EventType.Feedback)
        {
            if (!stages.TryGetValue((stage, e.Variant), out var units))
            {
                units = new StageUnits();
                stages.Add((stage, e.Variant), units);
            }

            units.Add(unit, e.Type == EventType.Exposure);
        }
    }

    /// <summary>Writes the whole state, for <see cref="Read"/>.</summary>
    public void Write(Checkpoints.CheckpointWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Experiment);
        writer.Write(tuning.RestartEvery);
        writer.Write(tuning.SegmentLength);
        writer.Write(HasExposures);
        writer.Write(Events);
        WriteVariants(writer, variants);
        WriteVariants(writer, shadows);
        writer.Write(stages.Count);
        foreach (var ((stage, variant), units) in stages)
        {
            writer.Write(stage);
            writer.Write(variant);
            units.Write(writer);
        }

        Paired.Write(writer);
    }

    /// <summary>Reads signals <see cref="Write"/> wrote, kept with <paramref name="tuning"/> (which must count segments as the writer's did).</summary>
    public static RolloutSignals Read(Checkpoints.CheckpointReader reader, GuardrailTuning? tuning = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var key = reader.ReadString();
        Checkpoints.CheckpointReader.Check(key.Length > 0, "Rollout signals have no experiment.");
        var signals = new RolloutSignals(key, tuning);
        Checkpoints.CheckpointReader.Check(reader.ReadInt32() == signals.tuning.RestartEvery && reader.ReadInt32() == signals.tuning.SegmentLength,
            "The guardrails' segments were counted with other settings.");
        signals.HasExposures = reader.ReadBoolean();
        signals.Events = reader.ReadInt64();
        ReadVariants(reader, signals.variants, signals.tuning);
        ReadVariants(reader, signals.shadows, signals.tuning);
        var stages = reader.ReadCount();
        for (var i = 0; i < stages; i++)
        {
            var at = (reader.ReadInt32(), reader.ReadString());
            Checkpoints.CheckpointReader.Check(signals.stages.TryAdd(at, StageUnits.Read(reader)), "A stage appears twice in rollout signals.");
        }

        signals.Paired = PairedAggregate.Read(reader);
        return signals;
    }

    private static void WriteVariants(Checkpoints.CheckpointWriter writer, Dictionary<string, VariantSignals> variants)
    {
        writer.Write(variants.Count);
        foreach (var variant in variants.Values)
        {
            variant.Write(writer);
        }
    }

    private static void ReadVariants(Checkpoints.CheckpointReader reader, Dictionary<string, VariantSignals> variants, GuardrailTuning tuning)
    {
        var count = reader.ReadCount();
        for (var i = 0; i < count; i++)
        {
            var variant = VariantSignals.Read(reader, tuning);
            Checkpoints.CheckpointReader.Check(variants.TryAdd(variant.Name, variant), $"Variant '{variant.Name}' appears twice in rollout signals.");
        }
    }

    private void AddShadow(ExperimentEvent e, long sequence)
    {
        if (!shadows.TryGetValue(e.Variant, out var variant))
        {
            variant = new VariantSignals(e.Variant, tuning);
            shadows.Add(e.Variant, variant);
        }

        var pair = EventKey.Of(e.PairId!);
        if (e.Type == EventType.Completion && !CancelledCall.Is(e))
        {
            variant.AddCompletion(EventKey.Of(e.Unit), e.Error is not null, e.LatencyMs ?? 0);
            Paired.AddShadow(e.Variant, pair, new PairedCall(sequence, e.Error is not null, e.LatencyMs ?? 0, e.CostUsd));
        }
        else if (e.Type == EventType.Feedback && e.Score is not null && e.Value is { } value)
        {
            Paired.AddShadowVerdict(e.Variant, e.Score, pair, new PairedVerdict(e.Ts.UtcTicks, sequence, value));
            if (!e.Score.EndsWith(PairedAggregate.PreferenceSuffix, StringComparison.Ordinal))
            {
                variant.AddFeedback(e.Score, EventKey.Of(e.Unit), pair, e.Ts.UtcTicks, sequence, value);
            }
        }
    }

    private VariantSignals GetOrAdd(string name)
    {
        if (!variants.TryGetValue(name, out var variant))
        {
            variant = new VariantSignals(name, tuning);
            variants.Add(name, variant);
        }

        return variant;
    }
}
