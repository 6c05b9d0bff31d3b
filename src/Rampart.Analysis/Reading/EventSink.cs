using System.Runtime.CompilerServices;
using System.Text;
using Rampart.Analysis.Aggregation;
using Rampart.Analysis.Shadow;
using Rampart.Core.Events;

namespace Rampart.Analysis.Reading;

/// <summary>
/// Routes events, read fast from bytes or parsed in full, into per-experiment aggregates. An event whose <c>id</c> was already
/// seen in the file is a duplicate and is left out, as the store leaves it out on import (the first one wins, whatever its
/// experiment). Ids are kept as 64-bit <see cref="EventKey"/>s: among n distinct ids two share a key with probability about
/// n²/2⁶⁵ (10⁷ ids: 3·10⁻⁶), which would drop one event as a duplicate.
/// </summary>
internal sealed class EventSink(QuantileMode mode)
{
    private readonly KeyTable<bool> ids = new();
    private readonly Dictionary<string, ExperimentAggregate> experiments = new(StringComparer.Ordinal);
    private readonly List<ExperimentAggregate> order = [];
    private readonly NameTable<ExperimentEntry> experimentNames = new();
    private byte[] lastUnit = new byte[64];
    private int lastUnitLength;
    private EventKey lastUnitKey;
    private byte[] lastModelBytes = [];
    private string? lastModel;

    public IReadOnlyList<ExperimentAggregate> Experiments => order;

    /// <summary>Events left out because their id was seen before.</summary>
    public long Duplicates { get; private set; }

    /// <summary>Adds an event read by <see cref="FastEventParser"/>; false (and counted) when its id was seen before.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Add(ReadOnlySpan<byte> line, in ParsedEvent e, long sequence)
    {
        if (e.Id is { } id && IsDuplicate(EventKey.Of(line[id])))
        {
            return false;
        }

        var experiment = experimentNames.Find(line[e.Experiment]) ?? AddExperiment(line[e.Experiment]);
        if (e.Shadow)
        {
            AddShadow(line, e, sequence, experiment);   // nobody was served a shadow answer: it counts only in the paired analysis (docs/shadow.md)
            return true;
        }

        var variant = experiment.Variants.Find(line[e.Variant]) ?? experiment.AddVariant(line[e.Variant]);
        var unit = UnitKey(line[e.Unit]);
        if (e.HasTs)
        {
            experiment.Aggregate.ObserveTicks(e.TsTicks);
        }

        switch (e.Type)
        {
            case EventType.Exposure:
                variant.Aggregate.AddExposure(unit);
                break;
            case EventType.Completion when e.Cancelled:
                break;
            case EventType.Completion:
                variant.Aggregate.AddCompletion(unit, e.LatencyMs!.Value, e.Failed, e.CostUsd, e.PromptTokens, e.CompletionTokens);
                if (e.PairId is { } pair)
                {
                    experiment.Aggregate.Paired.AddServed(EventKey.Of(line[pair]), new PairedCall(sequence, e.Failed, e.LatencyMs.Value, e.CostUsd));
                }

                break;
            default:
                var name = line[e.Score!.Value];
                var score = variant.Scores.Find(name) ?? variant.AddScore(name);
                EventKey? requestKey = e.RequestId is { } request ? EventKey.Of(line[request]) : null;
                score.Add(unit, requestKey, e.TsTicks, sequence, e.Value!.Value);
                if (e.Source is { } source && line[source].SequenceEqual("judge"u8))
                {
                    experiment.Aggregate.AddJudgeCall(
                        score.Name, variant.Aggregate.Name, e.Model is { } model ? ModelName(line[model]) : null, e.TsTicks, sequence, e.CostUsd, requestKey);
                    if (requestKey is { } served)
                    {
                        experiment.Aggregate.Paired.AddServedVerdict(score.Name, served, new PairedVerdict(e.TsTicks, sequence, e.Value.Value));
                    }
                }

                break;
        }

        return true;
    }

    private void AddShadow(ReadOnlySpan<byte> line, in ParsedEvent e, long sequence, ExperimentEntry experiment)
    {
        var pair = EventKey.Of(line[e.PairId!.Value]);
        var variant = experiment.ShadowName(line[e.Variant]);
        switch (e.Type)
        {
            case EventType.Completion when !e.Cancelled:
                experiment.Aggregate.Paired.AddShadow(variant, pair, new PairedCall(sequence, e.Failed, e.LatencyMs!.Value, e.CostUsd));
                break;
            case EventType.Feedback:
                var score = experiment.ShadowName(line[e.Score!.Value]);
                experiment.Aggregate.Paired.AddShadowVerdict(variant, score, pair, new PairedVerdict(e.TsTicks, sequence, e.Value!.Value));
                if (e.Source is { } source && line[source].SequenceEqual("judge"u8))
                {
                    // As ExperimentAggregate.Add: a judge's spend on a shadow answer counts in its cost for the variant.
                    experiment.Aggregate.AddJudgeCall(
                        ExperimentAggregate.JudgeScoreOf(score), variant, e.Model is { } model ? ModelName(line[model]) : null, e.TsTicks, sequence, e.CostUsd);
                }

                break;
        }
    }

    // A judge's feedback names one of a few models: its string is made once per run of equal names.
    private string ModelName(ReadOnlySpan<byte> model)
    {
        if (lastModel is null || !model.SequenceEqual(lastModelBytes))
        {
            lastModelBytes = model.ToArray();
            lastModel = Encoding.UTF8.GetString(model);
        }

        return lastModel;
    }

    // A unit's events come together (exposure, completions, feedback), so its key is computed once per run of lines.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private EventKey UnitKey(ReadOnlySpan<byte> unit)
    {
        if (unit.SequenceEqual(lastUnit.AsSpan(0, lastUnitLength)))
        {
            return lastUnitKey;
        }

        lastUnitKey = EventKey.Of(unit);
        if (unit.Length > lastUnit.Length)
        {
            lastUnit = new byte[unit.Length];
        }

        unit.CopyTo(lastUnit);
        lastUnitLength = unit.Length;
        return lastUnitKey;
    }

    /// <summary>Adds an event parsed by Core's <see cref="EventLineParser"/>; false (and counted) when its id was seen before.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Add(ExperimentEvent e, long sequence)
    {
        if (e.Id is { } id && IsDuplicate(EventKey.Of(id)))
        {
            return false;
        }

        GetOrAdd(e.Experiment).Add(e, sequence);
        return true;
    }

    // The parsers unescape ids the same way (the fast ones only take unescaped ids), so one id has one key whichever reads it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool IsDuplicate(EventKey id)
    {
        ids.GetOrAdd(id, out var existed);
        Duplicates += existed ? 1 : 0;
        return existed;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ExperimentEntry AddExperiment(ReadOnlySpan<byte> name)
    {
        var entry = new ExperimentEntry(GetOrAdd(Encoding.UTF8.GetString(name)));
        experimentNames.Add(name, entry);
        return entry;
    }

    private sealed class ExperimentEntry(ExperimentAggregate aggregate)
    {
        public ExperimentAggregate Aggregate { get; } = aggregate;

        public NameTable<VariantEntry> Variants { get; } = new();

        // Shadow variants' and their scores' names, made once each: a shadow variant is no variant of the split analysis.
        private NameTable<string> ShadowNames { get; } = new();

        public string ShadowName(ReadOnlySpan<byte> name)
        {
            if (ShadowNames.Find(name) is { } known)
            {
                return known;
            }

            var text = Encoding.UTF8.GetString(name);
            ShadowNames.Add(name, text);
            return text;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public VariantEntry AddVariant(ReadOnlySpan<byte> name)
        {
            var entry = new VariantEntry(Aggregate.GetOrAdd(Encoding.UTF8.GetString(name)));
            Variants.Add(name, entry);
            return entry;
        }
    }

    private sealed class VariantEntry(VariantAggregate aggregate)
    {
        public VariantAggregate Aggregate { get; } = aggregate;

        public NameTable<ScoreAggregate> Scores { get; } = new();

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public ScoreAggregate AddScore(ReadOnlySpan<byte> name)
        {
            var score = Aggregate.GetOrAddScore(Encoding.UTF8.GetString(name));
            Scores.Add(name, score);
            return score;
        }
    }
}
