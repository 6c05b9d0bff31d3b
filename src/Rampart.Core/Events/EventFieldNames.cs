namespace Rampart.Core.Events;

/// <summary>The JSON names of <see cref="EventField"/>.</summary>
internal static class EventFieldNames
{
    public static string Of(EventField field) => field switch
    {
        EventField.RequestId => "request_id",
        EventField.LatencyMs => "latency_ms",
        EventField.TtftMs => "ttft_ms",
        EventField.PromptTokens => "prompt_tokens",
        EventField.CompletionTokens => "completion_tokens",
        EventField.CostUsd => "cost_usd",
        EventField.PairId => "pair_id",
        _ => field.ToString().ToLowerInvariant(),
    };
}
