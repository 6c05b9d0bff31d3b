using System.Globalization;
using System.Numerics;
using Rampart.Core.Events;

namespace Rampart.Server.Results;

/// <summary>
/// The follower's check of a stored event before it touches any aggregate: every number finite and within
/// <see cref="EventLimits"/>. An event that passes cannot overflow a sum, a square or a sketch index (the largest latency
/// squared is 7.5e15, far inside double range), so the aggregates' arithmetic cannot fail halfway through an event.
/// </summary>
internal static class AggregationCheck
{
    /// <summary>Null when <paramref name="e"/> can be aggregated; else why not, naming the field and its range.</summary>
    public static string? Problem(ExperimentEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return Check("latency_ms", e.LatencyMs, 0, EventLimits.MaxLatencyMs)
            ?? Check("ttft_ms", e.TtftMs, 0, EventLimits.MaxLatencyMs)
            ?? Check("cost_usd", e.CostUsd, 0, EventLimits.MaxCostUsd)
            ?? Check("value", e.Value, -EventLimits.MaxScoreMagnitude, EventLimits.MaxScoreMagnitude)
            ?? Check("prompt_tokens", e.PromptTokens, 0, EventLimits.MaxTokens)
            ?? Check("completion_tokens", e.CompletionTokens, 0, EventLimits.MaxTokens)
            ?? Check("stage", e.Stage, 0, EventLimits.MaxStage);
    }

    // NaN fails both comparisons, so it is out of range as well.
    private static string? Check<T>(string field, T? value, T min, T max)
        where T : struct, INumber<T> =>
        value is { } v && !(v >= min && v <= max)
            ? string.Create(CultureInfo.InvariantCulture, $"'{field}' is {v}, outside the documented range [{min}, {max}]; the event was set aside and counts in no result.")
            : null;
}
