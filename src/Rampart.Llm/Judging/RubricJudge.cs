using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;
using Rampart.Core.Experiments;

namespace Rampart.Llm.Judging;

/// <summary>
/// An LLM judge (docs/judges.md): asks <see cref="JudgeDefinition.Model"/> through the <see cref="ChatConfiguration"/>'s
/// client to rate the answer on the judge's scale by its rubric, as JSON <c>{"rating": n, "reason": "…"}</c> (structured
/// output where the provider supports it), and reads the answer with <see cref="JudgeVerdict.Parse"/>. Returns a
/// <see cref="NumericMetric"/> named <see cref="JudgeDefinition.ScoreName"/>; a failed call or an unreadable or out-of-scale
/// rating gives a metric with no value and an error diagnostic, never an exception. The usage goes in the metric's
/// metadata (<see cref="JudgeMetadata"/>).
/// </summary>
public sealed class RubricJudge : IEvaluator
{
    /// <summary>The rubric of a judge that names none.</summary>
    public const string DefaultRubric = "How helpful and correct the assistant's answer is for the user's request.";

    private static readonly JsonElement VerdictSchema = JsonDocument.Parse("""
        {"type":"object","properties":{"rating":{"type":"number"},"reason":{"type":"string"}},"required":["rating","reason"],"additionalProperties":false}
        """).RootElement.Clone();

    private readonly JudgeDefinition judge;

    /// <summary>A judge for <paramref name="judge"/>.</summary>
    public RubricJudge(JudgeDefinition judge)
    {
        ArgumentNullException.ThrowIfNull(judge);
        this.judge = judge;
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> EvaluationMetricNames => [judge.ScoreName, judge.PreferenceScoreName];

    /// <inheritdoc />
    public async ValueTask<EvaluationResult> EvaluateAsync(
        IEnumerable<ChatMessage> messages,
        ChatResponse modelResponse,
        ChatConfiguration? chatConfiguration = null,
        IEnumerable<EvaluationContext>? additionalContext = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(modelResponse);
        if (chatConfiguration is null)
        {
            return Failed($"Judge '{judge.Name}' has no chat client for provider '{judge.Provider}'.");
        }

        var pairwise = additionalContext?.OfType<PairwiseContext>().FirstOrDefault();
        ChatResponse answer;
        try
        {
            var prompt = pairwise is null ? Prompt(messages, modelResponse) : PairwisePrompt(messages, modelResponse, pairwise);
            answer = await chatConfiguration.ChatClient.GetResponseAsync(prompt, Options(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Failed($"Judge '{judge.Name}' could not call '{judge.Model}': {e.Message}");
        }

        var verdict = JudgeVerdict.Parse(answer.Text);
        if (pairwise is not null)
        {
            var preference = verdict.Rating switch
            {
                { } r when r is >= 0 and <= 1 => new NumericMetric(judge.PreferenceScoreName, pairwise.ForShadow(r), verdict.Reason),
                _ => Failed($"Judge '{judge.Name}' gave no preference from 0 (A) to 1 (B): {Shorten(answer.Text)}", judge.PreferenceScoreName).Get<NumericMetric>(judge.PreferenceScoreName),
            };
            JudgeMetadata.SetUsage(preference, answer.Usage?.InputTokenCount, answer.Usage?.OutputTokenCount);
            return new EvaluationResult(preference);
        }

        var metric = verdict.Rating switch
        {
            null => Failed($"Judge '{judge.Name}' answered no rating: {Shorten(answer.Text)}").Get<NumericMetric>(judge.ScoreName),
            { } r when r < judge.ScaleMin || r > judge.ScaleMax =>
                Failed($"Judge '{judge.Name}' rated {r.ToString(CultureInfo.InvariantCulture)}, outside its scale {judge.ScaleMin}–{judge.ScaleMax}.").Get<NumericMetric>(judge.ScoreName),
            { } r => new NumericMetric(judge.ScoreName, r, verdict.Reason),
        };
        JudgeMetadata.SetUsage(metric, answer.Usage?.InputTokenCount, answer.Usage?.OutputTokenCount);
        return new EvaluationResult(metric);
    }

    private List<ChatMessage> Prompt(IEnumerable<ChatMessage> messages, ChatResponse modelResponse)
    {
        var conversation = new StringBuilder();
        foreach (var message in messages)
        {
            conversation.Append(message.Role.Value).Append(": ").AppendLine(message.Text);
        }

        var min = judge.ScaleMin.ToString(CultureInfo.InvariantCulture);
        var max = judge.ScaleMax.ToString(CultureInfo.InvariantCulture);
        return
        [
            new ChatMessage(ChatRole.System,
                $"You are an impartial judge. Rate the assistant's answer on a scale from {min} (worst) to {max} (best) by this rubric: {judge.Rubric ?? DefaultRubric}\n" +
                $"Answer only with JSON: {{\"rating\": <a number from {min} to {max}>, \"reason\": \"<one sentence>\"}}."),
            new ChatMessage(ChatRole.User, $"The conversation:\n{conversation}\nThe assistant's answer:\n{modelResponse.Text}"),
        ];
    }

    // Which of two answers is better, shown as A and B in the pair's order; the rating is 0 (A better), 0.5 (a tie) or 1 (B).
    private List<ChatMessage> PairwisePrompt(IEnumerable<ChatMessage> messages, ChatResponse modelResponse, PairwiseContext pairwise)
    {
        var conversation = new StringBuilder();
        foreach (var message in messages)
        {
            conversation.Append(message.Role.Value).Append(": ").AppendLine(message.Text);
        }

        var (a, b) = pairwise.ShadowFirst ? (modelResponse.Text, pairwise.Other) : (pairwise.Other, modelResponse.Text);
        return
        [
            new ChatMessage(ChatRole.System,
                $"You are an impartial judge. Compare two assistant answers to the same conversation by this rubric: {judge.Rubric ?? DefaultRubric}\n" +
                "Answer only with JSON: {\"rating\": 0 if answer A is better, 1 if answer B is better, 0.5 if they are equally good, \"reason\": \"<one sentence>\"}. " +
                "Do not let the order or the length of the answers sway you."),
            new ChatMessage(ChatRole.User, $"The conversation:\n{conversation}\nAnswer A:\n{a}\n\nAnswer B:\n{b}"),
        ];
    }

    private ChatOptions Options() => new()
    {
        ModelId = judge.Model,
        Temperature = 0,
        ResponseFormat = ChatResponseFormat.ForJsonSchema(VerdictSchema, "judge_verdict", "A rating and its reason."),
    };

    private EvaluationResult Failed(string message, string? name = null)
    {
        var metric = new NumericMetric(name ?? judge.ScoreName, value: null, reason: message);
        metric.AddDiagnostics(EvaluationDiagnostic.Error(message));
        return new EvaluationResult(metric);
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
