namespace Rampart.Core.Events;

/// <summary>
/// The documented range of every number an event may carry (docs/api.md, "Limits"). Every reader of events (the API, the
/// importer, <c>rampart analyze</c>, the gateway's usage from upstreams) refuses a value outside it, so no sum, square or
/// sketch index built from stored events can overflow.
/// </summary>
public static class EventLimits
{
    /// <summary>The largest <c>latency_ms</c> and <c>ttft_ms</c>: one day, in milliseconds.</summary>
    public const double MaxLatencyMs = 86_400_000;

    /// <summary>The largest <c>cost_usd</c> of one call.</summary>
    public const double MaxCostUsd = 1_000_000;

    /// <summary>The largest <c>prompt_tokens</c> or <c>completion_tokens</c> of one call (so 4.6 billion of them still sum within a 64-bit count).</summary>
    public const long MaxTokens = 1_000_000_000;

    /// <summary>The largest magnitude of a feedback <c>value</c>: values lie in [−1e9, 1e9].</summary>
    public const double MaxScoreMagnitude = 1_000_000_000;

    /// <summary>The largest <c>stage</c> index.</summary>
    public const int MaxStage = 1_000;

    /// <summary>
    /// The longest <c>id</c> and <c>request_id</c>, in characters (as <c>POST /api/feedback</c> takes them). Both are indexed:
    /// PostgreSQL refuses an index entry over 2704 bytes, which failed the whole batch (a 503 the client retried for ever).
    /// </summary>
    public const int MaxIdLength = 256;

    /// <summary>
    /// The longest feedback <c>score</c> name, in characters, and so the longest <c>primary_score</c> an experiment may
    /// name. Every name is a key of the results and is listed in them, so an unbounded one would make every results
    /// document, timeline and dashboard page as large as the longest name sent.
    /// </summary>
    public const int MaxScoreNameLength = 256;

    /// <summary>True when <paramref name="value"/> is a finite latency in [0, <see cref="MaxLatencyMs"/>].</summary>
    public static bool IsLatency(double value) => value is >= 0 and <= MaxLatencyMs;

    /// <summary>True when <paramref name="value"/> is a finite cost in [0, <see cref="MaxCostUsd"/>].</summary>
    public static bool IsCost(double value) => value is >= 0 and <= MaxCostUsd;

    /// <summary>True when <paramref name="value"/> is a token count in [0, <see cref="MaxTokens"/>].</summary>
    public static bool IsTokens(long value) => value is >= 0 and <= MaxTokens;

    /// <summary>True when <paramref name="value"/> is a finite score in [−<see cref="MaxScoreMagnitude"/>, <see cref="MaxScoreMagnitude"/>].</summary>
    public static bool IsScore(double value) => value is >= -MaxScoreMagnitude and <= MaxScoreMagnitude;
}
