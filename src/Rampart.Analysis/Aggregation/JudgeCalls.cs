namespace Rampart.Analysis.Aggregation;

/// <summary>
/// One judge's calls in one experiment (feedback events whose <c>source</c> is <c>judge</c>): per variant the calls and their
/// cost, kept apart from the variant's own cost per query, and the judge model of the latest call. Mergeable in any grouping.
/// </summary>
public sealed class JudgeCalls
{
    private readonly Dictionary<string, (long Calls, double CostUsd)> variants = new(StringComparer.Ordinal);
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
    public void Add(string variant, string? model, long tsTicks, long sequence, double? costUsd)
    {
        ArgumentNullException.ThrowIfNull(variant);
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

    /// <summary>A copy holding only the variants <paramref name="keep"/> accepts.</summary>
    public JudgeCalls Subset(Func<string, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var subset = new JudgeCalls(Score) { Model = Model, latest = latest };
        foreach (var (variant, totals) in variants.Where(v => keep(v.Key)))
        {
            subset.variants[variant] = totals;
        }

        return subset;
    }
}
