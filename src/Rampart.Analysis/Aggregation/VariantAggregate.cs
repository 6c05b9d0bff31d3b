using System.Runtime.CompilerServices;
using Rampart.Analysis.Checkpoints;
using Rampart.Core.Events;
using Rampart.Stats.Descriptive;
using Rampart.Stats.Ratios;
using Rampart.Stats.Sketches;

namespace Rampart.Analysis.Aggregation;

/// <summary>
/// Everything the analysis needs about one variant's events, kept as mergeable totals (docs/statistics.md): counts, sums, moments,
/// per-unit sums for the delta method, latencies (every one, or a 1% sketch) and each score's feedback.
/// <see cref="Merge"/> adds another aggregate's events, so partial aggregates (per file, per shard, per time slice) combine
/// in any grouping into the aggregate of all the events.
/// </summary>
public sealed class VariantAggregate
{
    private KeyTable<UnitTotals> units = new();
    private DoubleLog? latencies;
    private DoubleLog? costs;
    private QuantileSketch? sketch;
    private readonly Dictionary<string, ScoreAggregate> scores = new(StringComparer.Ordinal);
    private readonly List<ScoreAggregate> scoreOrder = [];
    private RunningMoments latency;
    private RunningMoments cost;
    private bool sorted = true;

    /// <summary>Creates an empty aggregate for variant <paramref name="name"/>.</summary>
    public VariantAggregate(string name, QuantileMode mode = QuantileMode.Exact)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Mode = mode;
        if (mode == QuantileMode.Exact)
        {
            latencies = new DoubleLog();
            costs = new DoubleLog();
        }
        else
        {
            sketch = new QuantileSketch(0.01);
        }
    }

    /// <summary>The variant's name.</summary>
    public string Name { get; }

    /// <summary>How latencies are kept.</summary>
    public QuantileMode Mode { get; }

    /// <summary>Exposure events (a unit exposed twice counts twice here, once in <see cref="CountUnits"/>).</summary>
    public long Exposures { get; private set; }

    /// <summary>Completions.</summary>
    public long Requests { get; private set; }

    /// <summary>Completions whose <c>error</c> is not null.</summary>
    public long Errors { get; private set; }

    /// <summary>Prompt tokens summed over completions that report them.</summary>
    public long PromptTokens { get; private set; }

    /// <summary>Completion tokens summed over completions that report them.</summary>
    public long CompletionTokens { get; private set; }

    /// <summary>Cost summed over completions with a cost.</summary>
    public double CostTotal { get; private set; }

    /// <summary>Count, mean and variance of the latencies of successful completions (two-pass over every value in exact mode).</summary>
    public SampleSummary Latency => latencies is null ? latency.ToSummary() : SampleStatistics.Summarize(latencies.Span);

    /// <summary>Count, mean and variance of the costs of completions with a cost (completions with a null cost are left out).</summary>
    public SampleSummary Cost => costs is null ? cost.ToSummary() : SampleStatistics.Summarize(costs.Span);

    /// <summary>The scores with feedback, in the order first seen.</summary>
    public IReadOnlyList<ScoreAggregate> Scores => scoreOrder;

    /// <summary>Distinct units among exposures, or among completions when <paramref name="fromExposures"/> is false.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public long CountUnits(bool fromExposures)
    {
        long count = 0;
        foreach (var (_, totals) in units)
        {
            count += (fromExposures ? totals.Exposed : totals.Requests > 0) ? 1 : 0;
        }

        return count;
    }

    /// <summary>Records that <paramref name="unit"/> was exposed to this variant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddExposure(EventKey unit)
    {
        Exposures++;
        units.GetOrAdd(unit, out _).Exposed = true;
    }

    /// <summary>Records one completion.</summary>
    /// <param name="unit">The unit it served.</param>
    /// <param name="latencyMs">Its latency; left out of latency statistics when it failed.</param>
    /// <param name="failed">Whether its <c>error</c> is not null.</param>
    /// <param name="costUsd">Its cost, or null when the model has no price.</param>
    /// <param name="promptTokens">Its input tokens, or null.</param>
    /// <param name="completionTokens">Its output tokens, or null.</param>
    /// <exception cref="ArgumentOutOfRangeException">A number is outside Core's <see cref="EventNumberRules"/>; nothing is recorded.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddCompletion(EventKey unit, double latencyMs, bool failed, double? costUsd, long? promptTokens, long? completionTokens)
    {
        // Checked before anything changes, so a refused event leaves the aggregate as it was.
        EventNumberRules.ThrowIfInvalid(EventNumber.Latency, latencyMs, "latency_ms");
        EventNumberRules.ThrowIfInvalid(EventNumber.Cost, costUsd, "cost_usd");
        EventNumberRules.ThrowIfInvalid(EventNumber.Tokens, promptTokens, "prompt_tokens");
        EventNumberRules.ThrowIfInvalid(EventNumber.Tokens, completionTokens, "completion_tokens");
        ref var totals = ref units.GetOrAdd(unit, out _);
        Requests++;
        totals.Requests++;
        if (failed)
        {
            Errors++;
            totals.Errors++;
        }
        else
        {
            // −0 is a valid latency in the format; +0 keeps the bit patterns LatencySort relies on in order.
            latencyMs = latencyMs == 0 ? 0 : latencyMs;
            totals.Successes++;
            totals.LatencySum += latencyMs;
            if (latencies is not null)
            {
                sorted &= latencies.Count == 0 || latencies.Last <= latencyMs;
                latencies.Add(latencyMs);
            }
            else
            {
                latency = latency.Add(latencyMs);
                sketch!.Add(latencyMs);
            }
        }

        if (costUsd is { } c)
        {
            if (costs is not null)
            {
                costs.Add(c);
            }
            else
            {
                cost = cost.Add(c);
            }

            CostTotal += c;
            totals.Costed++;
            totals.CostSum += c;
        }

        // Each count is at most EventLimits.MaxTokens, so a 64-bit sum holds 9.2 billion of them; checked, so it can never wrap negative.
        PromptTokens = checked(PromptTokens + (promptTokens ?? 0));
        CompletionTokens = checked(CompletionTokens + (completionTokens ?? 0));
    }

    /// <summary>Records one feedback event of score <paramref name="score"/>; see <see cref="ScoreAggregate.Add"/>.</summary>
    public void AddFeedback(string score, EventKey unit, EventKey? request, long tsTicks, long sequence, double value) =>
        GetOrAddScore(score).Add(unit, request, tsTicks, sequence, value);

    /// <summary>The aggregate of score <paramref name="score"/>, created empty when there is none yet.</summary>
    public ScoreAggregate GetOrAddScore(string score)
    {
        if (!scores.TryGetValue(score, out var aggregate))
        {
            aggregate = new ScoreAggregate(score);
            scores.Add(score, aggregate);
            scoreOrder.Add(aggregate);
        }

        return aggregate;
    }

    /// <summary>The aggregate of score <paramref name="score"/>, or null when it has no feedback.</summary>
    public ScoreAggregate? FindScore(string score) => scores.GetValueOrDefault(score);

    /// <summary>Adds every event of <paramref name="other"/> (the same variant, kept the same way) to this aggregate.</summary>
    public void Merge(VariantAggregate other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Name != Name || other.Mode != Mode)
        {
            throw new ArgumentException($"Cannot merge variant '{other.Name}' ({other.Mode}) into variant '{Name}' ({Mode}).", nameof(other));
        }

        Exposures += other.Exposures;
        Requests += other.Requests;
        Errors += other.Errors;
        PromptTokens = checked(PromptTokens + other.PromptTokens);
        CompletionTokens = checked(CompletionTokens + other.CompletionTokens);
        CostTotal += other.CostTotal;
        latency = latency.Merge(other.latency);
        cost = cost.Merge(other.cost);
        foreach (var (key, totals) in other.units)
        {
            units.GetOrAdd(key, out _).Merge(totals);
        }

        if (latencies is not null)
        {
            latencies.AddRange(other.latencies!);
            costs!.AddRange(other.costs!);
            sorted = false;
        }
        else
        {
            sketch!.Merge(other.sketch!);
        }

        foreach (var score in other.scoreOrder)
        {
            GetOrAddScore(score.Name).Merge(score);
        }
    }

    /// <summary>The q-quantile of successful latencies: exact type 7, or the sketch's estimate within 1%; null when there are none.</summary>
    public double? LatencyQuantile(double q)
    {
        if (latencies is null)
        {
            return sketch!.Quantile(q);
        }

        return Quantiles.Type7(SortedLatencies(), q);
    }

    /// <summary>How many successful completions were slower than <paramref name="thresholdMs"/> (estimated from the sketch in sketch mode).</summary>
    public long CountSlowerThan(double thresholdMs)
    {
        if (latencies is not null)
        {
            var values = SortedLatencies();
            var index = values.BinarySearch(thresholdMs);

            // The first index holding a value above the threshold, past any run of equal values.
            var first = index < 0 ? ~index : index + 1;
            while (index >= 0 && first < values.Length && values[first] <= thresholdMs)
            {
                first++;
            }

            return values.Length - first;
        }

        return SketchCountAbove(thresholdMs);
    }

    /// <summary>Per-unit sums and counts of <paramref name="metric"/>, for the delta method; units without a request of the metric are left out.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public RatioAccumulator PerUnit(UnitMetric metric)
    {
        var sums = default(UnitSums);
        foreach (var (_, totals) in units)
        {
            (double value, long count) = metric switch
            {
                UnitMetric.ErrorRate => (totals.Errors, totals.Requests),
                UnitMetric.Latency => (totals.LatencySum, totals.Successes),
                _ => (totals.CostSum, totals.Costed),
            };
            if (count > 0)
            {
                sums.Add(value, count);
            }
        }

        return sums.ToAccumulator();
    }

    /// <summary>Writes the whole state, for <see cref="Read"/>.</summary>
    internal void Write(CheckpointWriter writer)
    {
        writer.Write(Name);
        writer.Write((int)Mode);
        writer.Write(Exposures);
        writer.Write(Requests);
        writer.Write(Errors);
        writer.Write(PromptTokens);
        writer.Write(CompletionTokens);
        writer.Write(CostTotal);
        writer.Write(sorted);
        latency.WriteTo(writer.Binary);
        cost.WriteTo(writer.Binary);
        units.Write(writer);
        if (latencies is not null)
        {
            latencies.Write(writer);
            costs!.Write(writer);
        }
        else
        {
            sketch!.WriteTo(writer.Binary);
        }

        writer.Write(scoreOrder.Count);
        foreach (var score in scoreOrder)
        {
            score.Write(writer);
        }
    }

    /// <summary>Reads an aggregate <see cref="Write"/> wrote.</summary>
    internal static VariantAggregate Read(CheckpointReader reader)
    {
        var name = reader.ReadString();
        var mode = (QuantileMode)reader.ReadInt32();
        CheckpointReader.Check(name.Length > 0 && Enum.IsDefined(mode), "A variant aggregate's name or mode is invalid.");
        var variant = new VariantAggregate(name, mode)
        {
            Exposures = reader.ReadInt64(),
            Requests = reader.ReadInt64(),
            Errors = reader.ReadInt64(),
            PromptTokens = reader.ReadInt64(),
            CompletionTokens = reader.ReadInt64(),
            CostTotal = reader.ReadDouble(),
        };
        variant.sorted = reader.ReadBoolean();
        variant.latency = RunningMoments.ReadFrom(reader.Binary);
        variant.cost = RunningMoments.ReadFrom(reader.Binary);
        variant.units = KeyTable<UnitTotals>.Read(reader);
        if (mode == QuantileMode.Exact)
        {
            variant.latencies = DoubleLog.Read(reader);
            variant.costs = DoubleLog.Read(reader);
        }
        else
        {
            variant.sketch = QuantileSketch.ReadFrom(reader.Binary);
        }

        var scores = reader.ReadCount();
        for (var i = 0; i < scores; i++)
        {
            var score = ScoreAggregate.Read(reader);
            CheckpointReader.Check(variant.scores.TryAdd(score.Name, score), $"Score '{score.Name}' appears twice in a variant aggregate.");
            variant.scoreOrder.Add(score);
        }

        return variant;
    }

    private ReadOnlySpan<double> SortedLatencies()
    {
        var span = latencies!.Span;
        if (!sorted)
        {
            LatencySort.Sort(span);
            sorted = true;
        }

        return span;
    }

    // The sketch answers quantiles, not ranks: find by bisection the largest q whose quantile is still ≤ the threshold.
    private long SketchCountAbove(double thresholdMs)
    {
        var n = sketch!.Count;
        if (n == 0 || sketch.Quantile(1)!.Value <= thresholdMs)
        {
            return 0;
        }

        if (sketch.Quantile(0)!.Value > thresholdMs)
        {
            return n;
        }

        double below = 0, above = 1;
        for (var i = 0; i < 50 && (above - below) * n > 0.5; i++)
        {
            var middle = (below + above) / 2;
            if (sketch.Quantile(middle)!.Value <= thresholdMs)
            {
                below = middle;
            }
            else
            {
                above = middle;
            }
        }

        return n - 1 - (long)Math.Floor(below * (n - 1));
    }
}
