namespace Rampart.Core.Experiments;

/// <summary>When a variant is rolled back (docs/statistics.md, docs/rollouts.md).</summary>
/// <param name="MaxErrorRate">Error rate above which a variant is rolled back. Default: 0.05.</param>
/// <param name="MaxP95LatencyRatio">p95 latency, as a multiple of the control's, above which a variant is rolled back. Default: 1.5.</param>
/// <param name="MinRequests">Requests a variant needs before a guardrail can act. Default: 100.</param>
/// <param name="CheckInterval">How often the monitor checks. Default: 1 minute.</param>
public sealed record GuardrailOptions(
    double MaxErrorRate = 0.05,
    double MaxP95LatencyRatio = 1.5,
    int MinRequests = 100,
    TimeSpan CheckInterval = default)
{
    /// <summary>The check interval, one minute when none was given.</summary>
    public TimeSpan CheckInterval { get; init; } = CheckInterval == default ? TimeSpan.FromMinutes(1) : CheckInterval;

    /// <summary>
    /// Per score name, how far it may fall below the control's before the variant is rolled back (<c>min_score</c>); empty
    /// by default.
    /// </summary>
    public System.Collections.Immutable.ImmutableSortedDictionary<string, ScoreFloor> MinScore { get; init; } = ScoreFloor.None;
}
