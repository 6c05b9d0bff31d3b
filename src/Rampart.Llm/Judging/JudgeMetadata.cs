using System.Globalization;
using Microsoft.Extensions.AI.Evaluation;

namespace Rampart.Llm.Judging;

/// <summary>The metadata keys a judge's metric carries its usage in, so <see cref="JudgeRunner"/> can price the verdict.</summary>
public static class JudgeMetadata
{
    /// <summary>The judge call's input tokens.</summary>
    public const string PromptTokens = "rampart.prompt_tokens";

    /// <summary>The judge call's output tokens.</summary>
    public const string CompletionTokens = "rampart.completion_tokens";

    /// <summary>Records a judge call's usage on <paramref name="metric"/> (a null count is left out).</summary>
    public static void SetUsage(EvaluationMetric metric, long? promptTokens, long? completionTokens)
    {
        ArgumentNullException.ThrowIfNull(metric);
        if (promptTokens is { } prompt)
        {
            metric.AddOrUpdateMetadata(PromptTokens, prompt.ToString(CultureInfo.InvariantCulture));
        }

        if (completionTokens is { } completion)
        {
            metric.AddOrUpdateMetadata(CompletionTokens, completion.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The usage recorded on <paramref name="metric"/>, each null when absent.</summary>
    public static (long? PromptTokens, long? CompletionTokens) Usage(EvaluationMetric metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return (Read(metric, PromptTokens), Read(metric, CompletionTokens));
    }

    private static long? Read(EvaluationMetric metric, string key) =>
        metric.Metadata is { } metadata && metadata.TryGetValue(key, out var text)
            && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
