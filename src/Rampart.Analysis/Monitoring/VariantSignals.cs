using Rampart.Analysis.Aggregation;

namespace Rampart.Analysis.Monitoring;

/// <summary>What the monitor keeps about one variant: its guardrail counts, its units and its scores, each updated in O(1) per event.</summary>
public sealed class VariantSignals
{
    private readonly HashSet<EventKey> exposedUnits = [];
    private readonly HashSet<EventKey> servedUnits = [];
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
}
