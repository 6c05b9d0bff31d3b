using System.Text;
using Rampart.Analysis.Aggregation;
using Rampart.Core.Events;

namespace Rampart.Analysis.Reading;

/// <summary>Routes events, read fast from bytes or parsed in full, into per-experiment aggregates.</summary>
internal sealed class EventSink(QuantileMode mode)
{
    private readonly Dictionary<string, ExperimentAggregate> experiments = new(StringComparer.Ordinal);
    private readonly List<ExperimentAggregate> order = [];
    private readonly NameTable<ExperimentEntry> experimentNames = new();

    public IReadOnlyList<ExperimentAggregate> Experiments => order;

    /// <summary>Adds an event read by <see cref="FastEventParser"/>.</summary>
    public void Add(ReadOnlySpan<byte> line, in ParsedEvent e, long sequence)
    {
        var experiment = experimentNames.Find(line[e.Experiment]) ?? AddExperiment(line[e.Experiment]);
        var variant = experiment.Variants.Find(line[e.Variant]) ?? experiment.AddVariant(line[e.Variant]);
        var unit = EventKey.Of(line[e.Unit]);
        switch (e.Type)
        {
            case EventType.Exposure:
                variant.Aggregate.AddExposure(unit);
                break;
            case EventType.Completion:
                variant.Aggregate.AddCompletion(unit, e.LatencyMs!.Value, e.Failed, e.CostUsd, e.PromptTokens, e.CompletionTokens);
                break;
            default:
                var name = line[e.Score!.Value];
                var score = variant.Scores.Find(name) ?? variant.AddScore(name);
                score.Add(unit, e.RequestId is { } request ? EventKey.Of(line[request]) : null, e.TsTicks, sequence, e.Value!.Value);
                break;
        }
    }

    /// <summary>Adds an event parsed by Core's <see cref="EventLineParser"/>.</summary>
    public void Add(ExperimentEvent e, long sequence) => GetOrAdd(e.Experiment).Add(e, sequence);

    private ExperimentAggregate GetOrAdd(string experiment)
    {
        if (!experiments.TryGetValue(experiment, out var aggregate))
        {
            aggregate = new ExperimentAggregate(experiment, mode);
            experiments.Add(experiment, aggregate);
            order.Add(aggregate);
        }

        return aggregate;
    }

    private ExperimentEntry AddExperiment(ReadOnlySpan<byte> name)
    {
        var entry = new ExperimentEntry(GetOrAdd(Encoding.UTF8.GetString(name)));
        experimentNames.Add(name, entry);
        return entry;
    }

    private sealed class ExperimentEntry(ExperimentAggregate aggregate)
    {
        public NameTable<VariantEntry> Variants { get; } = new();

        public VariantEntry AddVariant(ReadOnlySpan<byte> name)
        {
            var entry = new VariantEntry(aggregate.GetOrAdd(Encoding.UTF8.GetString(name)));
            Variants.Add(name, entry);
            return entry;
        }
    }

    private sealed class VariantEntry(VariantAggregate aggregate)
    {
        public VariantAggregate Aggregate { get; } = aggregate;

        public NameTable<ScoreAggregate> Scores { get; } = new();

        public ScoreAggregate AddScore(ReadOnlySpan<byte> name)
        {
            var score = Aggregate.GetOrAddScore(Encoding.UTF8.GetString(name));
            Scores.Add(name, score);
            return score;
        }
    }
}
