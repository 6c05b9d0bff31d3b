using System.Globalization;

namespace Rampart.Core.Events;

/// <summary>
/// The one check of an event number against <see cref="EventLimits"/>, and the words for its range. The event parser (the API,
/// <c>rampart import</c>, <c>rampart analyze</c>), the analysis' fast readers, the aggregates and the gateway's upstream usage
/// all ask here, so every reader accepts exactly the same values and says the same thing about the others.
/// </summary>
public static class EventNumberRules
{
    /// <summary>True when <paramref name="value"/> is finite and within the range of <paramref name="kind"/> (a whole number for tokens and stages).</summary>
    public static bool IsValid(EventNumber kind, double value) => kind switch
    {
        EventNumber.Latency => EventLimits.IsLatency(value),
        EventNumber.Cost => EventLimits.IsCost(value),
        EventNumber.Score => EventLimits.IsScore(value),
        EventNumber.Tokens => value is >= 0 and <= EventLimits.MaxTokens && Math.Floor(value) == value,
        _ => value is >= 0 and <= EventLimits.MaxStage && Math.Floor(value) == value,
    };

    /// <summary>True when the whole number <paramref name="value"/> is within the range of <paramref name="kind"/>.</summary>
    public static bool IsValid(EventNumber kind, long value) => kind switch
    {
        EventNumber.Tokens => EventLimits.IsTokens(value),
        EventNumber.Stage => value is >= 0 and <= EventLimits.MaxStage,
        _ => IsValid(kind, (double)value),
    };

    /// <summary>What a field of <paramref name="kind"/> must be, for messages: <c>a number of milliseconds in [0, 86400000]</c>.</summary>
    public static string Expected(EventNumber kind) => kind switch
    {
        EventNumber.Latency => $"a number of milliseconds in [0, {Format(EventLimits.MaxLatencyMs)}]",
        EventNumber.Cost => $"a number of US dollars in [0, {Format(EventLimits.MaxCostUsd)}]",
        EventNumber.Tokens => $"a whole number in [0, {Format(EventLimits.MaxTokens)}]",
        EventNumber.Score => $"a finite number in [-{Format(EventLimits.MaxScoreMagnitude)}, {Format(EventLimits.MaxScoreMagnitude)}]",
        _ => $"a whole number in [0, {Format(EventLimits.MaxStage)}]",
    };

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming <paramref name="field"/> when <paramref name="value"/> is out of range.</summary>
    /// <param name="kind">The kind of number.</param>
    /// <param name="value">The value, or null (always valid: the field is absent).</param>
    /// <param name="field">The event field's JSON name, e.g. <c>latency_ms</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">when <paramref name="value"/> is not null and not valid for <paramref name="kind"/>.</exception>
    public static void ThrowIfInvalid(EventNumber kind, double? value, string field)
    {
        if (Problem(kind, value, field) is { } problem)
        {
            throw new ArgumentOutOfRangeException(field, value, problem);
        }
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming <paramref name="field"/> when the whole number <paramref name="value"/> is out of range.</summary>
    /// <param name="kind">The kind of number.</param>
    /// <param name="value">The value, or null (always valid: the field is absent).</param>
    /// <param name="field">The event field's JSON name, e.g. <c>prompt_tokens</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">when <paramref name="value"/> is not null and not valid for <paramref name="kind"/>.</exception>
    public static void ThrowIfInvalid(EventNumber kind, long? value, string field)
    {
        if (Problem(kind, value, field) is { } problem)
        {
            throw new ArgumentOutOfRangeException(field, value, problem);
        }
    }

    /// <summary>
    /// Null when every number of <paramref name="e"/> is within range; else what is wrong with the first one out of range,
    /// naming the field and the range (<c>'latency_ms' must be a number of milliseconds in [0, 86400000], not 1E+200.</c>).
    /// </summary>
    /// <exception cref="ArgumentNullException">when <paramref name="e"/> is null.</exception>
    public static string? Problem(ExperimentEvent e) => FirstProblem(e)?.Message;

    /// <summary>
    /// Throws <see cref="ArgumentOutOfRangeException"/> naming the first number of <paramref name="e"/> out of range. Aggregates
    /// call this before they change anything, so an event stored before these limits (or written by hand into the store) fails
    /// on its own and leaves every sum as it was.
    /// </summary>
    /// <exception cref="ArgumentNullException">when <paramref name="e"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">when a number of <paramref name="e"/> is out of range.</exception>
    public static void ThrowIfInvalid(ExperimentEvent e)
    {
        if (FirstProblem(e) is { } problem)
        {
            throw new ArgumentOutOfRangeException(problem.Field, problem.Message);
        }
    }

    private static (string Field, string Message)? FirstProblem(ExperimentEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return Named("latency_ms", Problem(EventNumber.Latency, e.LatencyMs, "latency_ms"))
            ?? Named("ttft_ms", Problem(EventNumber.Latency, e.TtftMs, "ttft_ms"))
            ?? Named("cost_usd", Problem(EventNumber.Cost, e.CostUsd, "cost_usd"))
            ?? Named("prompt_tokens", Problem(EventNumber.Tokens, e.PromptTokens, "prompt_tokens"))
            ?? Named("completion_tokens", Problem(EventNumber.Tokens, e.CompletionTokens, "completion_tokens"))
            ?? Named("value", Problem(EventNumber.Score, e.Value, "value"))
            ?? Named("stage", Problem(EventNumber.Stage, e.Stage, "stage"));

        static (string, string)? Named(string field, string? message) => message is null ? null : (field, message);
    }

    private static string? Problem(EventNumber kind, double? value, string field) =>
        value is { } v && !IsValid(kind, v) ? $"'{field}' must be {Expected(kind)}, not {Format(v)}." : null;

    private static string? Problem(EventNumber kind, long? value, string field) =>
        value is { } v && !IsValid(kind, v) ? $"'{field}' must be {Expected(kind)}, not {v.ToString(CultureInfo.InvariantCulture)}." : null;

    /// <summary>
    /// <paramref name="completion"/> with the usage an upstream reported (<c>prompt_tokens</c>, <c>completion_tokens</c>,
    /// <c>ttft_ms</c>, <c>cost_usd</c>) set to null where it is out of range, and <c>cost_usd</c> also where a token count it
    /// was derived from is. An upstream's claim is not the caller's input, so it does not fail the call: the event is kept
    /// and <paramref name="refused"/> hears of each field dropped, with its value.
    /// </summary>
    /// <exception cref="ArgumentNullException">when <paramref name="completion"/> is null.</exception>
    public static ExperimentEvent WithoutInvalidUsage(ExperimentEvent completion, Action<string, double>? refused = null)
    {
        ArgumentNullException.ThrowIfNull(completion);
        var promptOk = Keeps(EventNumber.Tokens, completion.PromptTokens, "prompt_tokens", refused);
        var completionOk = Keeps(EventNumber.Tokens, completion.CompletionTokens, "completion_tokens", refused);
        var ttftOk = Keeps(EventNumber.Latency, completion.TtftMs, "ttft_ms", refused);
        var costOk = promptOk && completionOk
            ? Keeps(EventNumber.Cost, completion.CostUsd, "cost_usd", refused)
            : Keeps(null, completion.CostUsd, "cost_usd", refused);
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

    // True when the value stays: absent, or valid for kind (no kind: any present value goes).
    private static bool Keeps(EventNumber? kind, double? value, string field, Action<string, double>? refused)
    {
        if (value is not { } v || (kind is { } k && IsValid(k, v)))
        {
            return true;
        }

        refused?.Invoke(field, v);
        return false;
    }

    private static bool Keeps(EventNumber kind, long? value, string field, Action<string, double>? refused)
    {
        if (value is not { } v || IsValid(kind, v))
        {
            return true;
        }

        refused?.Invoke(field, v);
        return false;
    }

    /// <summary>A number as messages show it: invariant, shortest round-trip form (<c>86400000</c>, <c>1E+200</c>, <c>NaN</c>).</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
