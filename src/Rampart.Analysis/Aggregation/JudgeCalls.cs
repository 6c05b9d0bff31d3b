namespace Rampart.Analysis.Aggregation;

/// <summary>
/// One judge's calls in one experiment (feedback events whose <c>source</c> is <c>judge</c>): per variant the calls and their
/// cost, kept apart from the variant's own cost per query, and the judge model of the latest call. Mergeable in any grouping.
/// </summary>
public sealed class JudgeCalls
{
    private readonly Dictionary<string, (long Calls, double CostUsd)> variants = new(StringComparer.Ordinal);
    private FeedbackLedger verdicts = new();
    private (long Ticks, long Sequence) latest = (long.MinValue, long.MinValue);

    /// <summary>Creates the calls of the judge scoring <paramref name="score"/>.</summary>
    public JudgeCalls(string score)
    {
        ArgumentException.ThrowIfNullOrEmpty(score);
        Score = score;
    }

    /// <summary>The judge's score, e.g. <c>judge_helpfulness</c>.</summary>
    public string Score { get; }

    /// <summary>The judge model of the latest call that named one (by timestamp, then position), or null.</summary>
    public string? Model { get; private set; }

    /// <summary>Calls and their total cost in USD for <paramref name="variant"/>.</summary>
    public (long Calls, double CostUsd) Of(string variant) => variants.GetValueOrDefault(variant);

    /// <summary>Records one call judging a response of <paramref name="variant"/>.</summary>
    /// <param name="variant">The variant whose response was judged.</param>
    /// <param name="model">The judge model, or null.</param>
    /// <param name="tsTicks">The event's timestamp in UTC ticks.</param>
    /// <param name="sequence">Its position: among equal timestamps the later names the model.</param>
    /// <param name="costUsd">What the judge call cost, or null.</param>
    /// <param name="request">The judged request, or null.</param>
    public void Add(string variant, string? model, long tsTicks, long sequence, double? costUsd, EventKey? request = null)
    {
        ArgumentNullException.ThrowIfNull(variant);
        if (request is { } key && !Score.StartsWith(Core.Experiments.JudgeDefinition.ScorePrefix, StringComparison.Ordinal))
        {
            // A judge writing to a people's score (not judge_…): remember which verdicts are its, so calibration can leave them out.
            verdicts.Record(key, new FeedbackEntry(default, tsTicks, sequence, 0), out _);
        }

        var (calls, cost) = variants.GetValueOrDefault(variant);
        variants[variant] = (calls + 1, cost + (costUsd ?? 0));
        if (model is not null && (tsTicks, sequence).CompareTo(latest) >= 0)
        {
            (Model, latest) = (model, (tsTicks, sequence));
        }
    }

    /// <summary>Adds every call of <paramref name="other"/> (the same judge).</summary>
    public void Merge(JudgeCalls other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (key, entry) in other.verdicts)
        {
            verdicts.Record(key, entry, out _);
        }

        foreach (var (variant, (calls, cost)) in other.variants)
        {
            var (c, u) = variants.GetValueOrDefault(variant);
            variants[variant] = (c + calls, u + cost);
        }

        if (other.Model is not null && other.latest.CompareTo(latest) >= 0)
        {
            (Model, latest) = (other.Model, other.latest);
        }
    }

    /// <summary>Writes the whole state, for <see cref="Read"/>.</summary>
    internal void Write(Checkpoints.CheckpointWriter writer)
    {
        writer.Write(Score);
        writer.WriteNullable(Model);
        writer.Write(latest.Ticks);
        writer.Write(latest.Sequence);
        verdicts.Write(writer);
        writer.Write(variants.Count);
        foreach (var (variant, (calls, cost)) in variants)
        {
            writer.Write(variant);
            writer.Write(calls);
            writer.Write(cost);
        }
    }

    /// <summary>Reads calls <see cref="Write"/> wrote.</summary>
    internal static JudgeCalls Read(Checkpoints.CheckpointReader reader)
    {
        var score = reader.ReadString();
        Checkpoints.CheckpointReader.Check(score.Length > 0, "A judge's calls have no score.");
        var calls = new JudgeCalls(score) { Model = reader.ReadNullableString() };
        calls.latest = (reader.ReadInt64(), reader.ReadInt64());
        calls.verdicts = FeedbackLedger.Read(reader);
        var count = reader.ReadCount();
        for (var i = 0; i < count; i++)
        {
            Checkpoints.CheckpointReader.Check(calls.variants.TryAdd(reader.ReadString(), (reader.ReadInt64(), reader.ReadDouble())), "A variant appears twice in a judge's calls.");
        }

        return calls;
    }

    /// <summary>The latest judge verdict per request on this score when it is not a <c>judge_</c> score: (request, timestamp, position).</summary>
    internal HashSet<(EventKey Request, long TsTicks, long Sequence)> LatestVerdicts()
    {
        var set = new HashSet<(EventKey, long, long)>();
        foreach (var (key, entry) in verdicts)
        {
            set.Add((key, entry.TsTicks, entry.Sequence));
        }

        return set;
    }

    /// <summary>A copy holding only the variants <paramref name="keep"/> accepts.</summary>
    public JudgeCalls Subset(Func<string, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var subset = new JudgeCalls(Score) { Model = Model, latest = latest };
        foreach (var (key, entry) in verdicts)
        {
            subset.verdicts.Record(key, entry, out _);
        }

        foreach (var (variant, totals) in variants.Where(v => keep(v.Key)))
        {
            subset.variants[variant] = totals;
        }

        return subset;
    }
}
