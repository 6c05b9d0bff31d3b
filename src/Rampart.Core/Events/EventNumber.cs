namespace Rampart.Core.Events;

/// <summary>The kinds of number an event carries, each with its own range in <see cref="EventLimits"/>.</summary>
public enum EventNumber
{
    /// <summary><c>latency_ms</c> and <c>ttft_ms</c>: milliseconds in [0, <see cref="EventLimits.MaxLatencyMs"/>].</summary>
    Latency,

    /// <summary><c>cost_usd</c>: US dollars in [0, <see cref="EventLimits.MaxCostUsd"/>].</summary>
    Cost,

    /// <summary><c>prompt_tokens</c> and <c>completion_tokens</c>: whole numbers in [0, <see cref="EventLimits.MaxTokens"/>].</summary>
    Tokens,

    /// <summary>A feedback <c>value</c>: in [−<see cref="EventLimits.MaxScoreMagnitude"/>, <see cref="EventLimits.MaxScoreMagnitude"/>].</summary>
    Score,

    /// <summary><c>stage</c>: a whole number in [0, <see cref="EventLimits.MaxStage"/>].</summary>
    Stage,
}
