namespace Rampart.Stats.Hypothesis;

/// <summary>Successes out of trials, e.g. failed requests out of requests.</summary>
public readonly record struct BinomialCount
{
    /// <summary>Creates a count; throws unless 0 ≤ <paramref name="successes"/> ≤ <paramref name="trials"/>.</summary>
    public BinomialCount(long successes, long trials)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        if (trials < successes)
        {
            throw new ArgumentOutOfRangeException(nameof(trials), trials, $"'trials' ({trials}) must be at least 'successes' ({successes}).");
        }

        Successes = successes;
        Trials = trials;
    }

    /// <summary>Number of successes.</summary>
    public long Successes { get; }

    /// <summary>Number of trials.</summary>
    public long Trials { get; }

    /// <summary>Successes / trials; null when there are no trials.</summary>
    public double? Rate => Trials > 0 ? (double)Successes / Trials : null;
}
