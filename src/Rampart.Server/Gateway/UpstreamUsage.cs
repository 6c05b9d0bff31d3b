using Rampart.Core.Events;
using Rampart.Server.Telemetry;

namespace Rampart.Server.Gateway;

/// <summary>
/// Bounds what an upstream reports about a call before it becomes a completion event. Usage an upstream claims (tokens, and
/// the cost derived from them) is not the caller's input, so a value outside Core's <see cref="EventNumberRules"/> does not
/// fail the call: the event is kept with that field null (a cost with the tokens it came from), and each refusal is counted
/// in <c>rampart_upstream_usage_rejected_total{field}</c> and logged as a warning.
/// </summary>
internal static partial class UpstreamUsage
{
    /// <summary>
    /// <paramref name="completion"/> with every out-of-range <c>prompt_tokens</c>, <c>completion_tokens</c>, <c>ttft_ms</c> and
    /// <c>cost_usd</c> set to null (the cost too when a token count it was derived from is refused).
    /// </summary>
    public static ExperimentEvent Bound(ExperimentEvent completion, ServerMetrics metrics, ILogger logger)
    {
        var promptOk = Check(EventNumber.Tokens, completion.PromptTokens, "prompt_tokens", completion, metrics, logger);
        var completionOk = Check(EventNumber.Tokens, completion.CompletionTokens, "completion_tokens", completion, metrics, logger);
        var ttftOk = Check(EventNumber.Latency, completion.TtftMs, "ttft_ms", completion, metrics, logger);

        // A cost derived from a refused count is as wrong as the count, so it goes too, counted once under its own name.
        var costOk = promptOk && completionOk
            ? Check(EventNumber.Cost, completion.CostUsd, "cost_usd", completion, metrics, logger)
            : completion.CostUsd is null || Refuse("cost_usd", completion.CostUsd.Value, completion, metrics, logger);
        return promptOk && completionOk && ttftOk && costOk
            ? completion
            : completion with
            {
                PromptTokens = promptOk ? completion.PromptTokens : null,
                CompletionTokens = completionOk ? completion.CompletionTokens : null,
                TtftMs = ttftOk ? completion.TtftMs : null,
                CostUsd = costOk ? completion.CostUsd : null,
            };
    }

    private static bool Check(EventNumber kind, double? value, string field, ExperimentEvent e, ServerMetrics metrics, ILogger logger) =>
        value is not { } v || EventNumberRules.IsValid(kind, v) || Refuse(field, v, e, metrics, logger);

    private static bool Check(EventNumber kind, long? value, string field, ExperimentEvent e, ServerMetrics metrics, ILogger logger) =>
        value is not { } v || EventNumberRules.IsValid(kind, v) || Refuse(field, v, e, metrics, logger);

    // Always false: the field is refused.
    private static bool Refuse(string field, double value, ExperimentEvent e, ServerMetrics metrics, ILogger logger)
    {
        metrics.UpstreamUsageRejected(field);
        LogRejected(logger, field, e.Experiment, e.Variant, e.RequestId, EventNumberRules.Format(value));
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The upstream's '{Field}' of call {RequestId} ({Experiment}/{Variant}) is out of range ({Value}); the completion is stored with it null.")]
    private static partial void LogRejected(ILogger logger, string field, string experiment, string variant, string? requestId, string value);
}
