using Rampart.Analysis.Aggregation;

namespace Rampart.Analysis.Monitoring;

/// <summary>What the monitor keeps about one variant: its guardrail counts, its units and its scores, each updated in O(1) per event.</summary>
public sealed class VariantSignals
{
    private HashSet<EventKey> exposedUnits = [];
    private HashSet<EventKey> servedUnits = [];
    private readonly Dictionary<string, ScoreUnits> scores = new(StringComparer.Ordinal);

    /// <summary>Creates the signals of variant <paramref name="name"/>.</summary>
    public VariantSignals(string name, GuardrailTuning? tuning = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Guardrails = new GuardrailCounter(tuning);
    }

    /// <summary>The variant's name.</summary>
    public string Name { get; }

    /// <summary>Requests, errors and latencies: the whole history and the restarted segments.</summary>
    public GuardrailCounter Guardrails { get; }

    /// <summary>Completions.</summary>
    public long Requests => Guardrails.Whole.Requests;

    /// <summary>Failed completions.</summary>
    public long Errors => Guardrails.Whole.Errors;

    /// <summary>The p95 latency of successful completions (1% sketch), or null.</summary>
    public double? P95 => Guardrails.Whole.Quantile(0.95);

    /// <summary>Distinct units among exposures, or among completions when <paramref name="fromExposures"/> is false.</summary>
    public long Units(bool fromExposures) => fromExposures ? exposedUnits.Count : servedUnits.Count;

    /// <summary>The score <paramref name="name"/>, or null when it has no feedback.</summary>
    public ScoreUnits? Score(string name) => scores.GetValueOrDefault(name);

    internal void AddExposure(EventKey unit) => exposedUnits.Add(unit);

    internal void AddCompletion(EventKey unit, bool failed, double latencyMs)
    {
        servedUnits.Add(unit);
        Guardrails.Add(failed, latencyMs);
    }

    internal void AddFeedback(string score, EventKey unit, EventKey? requestId, long tsTicks, long sequence, double value)
    {
        if (!scores.TryGetValue(score, out var units))
        {
            units = new ScoreUnits();
            scores.Add(score, units);
        }

        units.Add(unit, requestId, tsTicks, sequence, value);
    }

    /// <summary>Writes the whole state, for <see cref="Read"/>.</summary>
    internal void Write(Checkpoints.CheckpointWriter writer)
    {
        writer.Write(Name);
        writer.Write(exposedUnits);
        writer.Write(servedUnits);
        Guardrails.Write(writer);
        writer.Write(scores.Count);
        foreach (var (score, units) in scores)
        {
            writer.Write(score);
            units.Write(writer);
        }
    }

    /// <summary>Reads signals <see cref="Write"/> wrote.</summary>
    internal static VariantSignals Read(Checkpoints.CheckpointReader reader, GuardrailTuning tuning)
    {
        var name = reader.ReadString();
        Checkpoints.CheckpointReader.Check(name.Length > 0, "A variant's signals have no name.");
        var variant = new VariantSignals(name, tuning) { exposedUnits = reader.ReadKeySet(), servedUnits = reader.ReadKeySet() };
        variant.Guardrails.Read(reader);
        var scores = reader.ReadCount();
        for (var i = 0; i < scores; i++)
        {
            Checkpoints.CheckpointReader.Check(variant.scores.TryAdd(reader.ReadString(), ScoreUnits.Read(reader)), $"A score appears twice in variant '{name}''s signals.");
        }

        return variant;
    }
}
