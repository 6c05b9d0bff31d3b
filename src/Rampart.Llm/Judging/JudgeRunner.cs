using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;
using Rampart.Core.Events;
using Rampart.Core.Experiments;
using Rampart.Llm.Pricing;

namespace Rampart.Llm.Judging;

/// <summary>
/// Judges one sampled call (docs/judges.md): checks the judge's daily budget, runs its evaluator within the timeout, and
/// turns the rating into the feedback event <c>judge_&lt;name&gt;</c> (normalised to 0–1, <c>source</c> judge, the judge's model
/// and cost, the id <c>judge_&lt;name&gt;:&lt;request id&gt;</c> so a replay stores it once). Never throws for a judge's failure.
/// </summary>
public sealed class JudgeRunner
{
    private readonly JudgeEvaluators evaluators;
    private readonly CostEstimator costs;
    private readonly JudgeBudget budget;
    private readonly TimeProvider time;
    private readonly TimeSpan timeout;

    /// <summary>A runner calling <paramref name="evaluators"/>, pricing by <paramref name="costs"/>, spending from <paramref name="budget"/>, each call within <paramref name="timeout"/>.</summary>
    public JudgeRunner(JudgeEvaluators evaluators, CostEstimator costs, JudgeBudget budget, TimeProvider time, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(evaluators);
        ArgumentNullException.ThrowIfNull(costs);
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(time);
        this.evaluators = evaluators;
        this.costs = costs;
        this.budget = budget;
        this.time = time;
        this.timeout = timeout;
    }

    /// <summary>Judges <paramref name="work"/>; the outcome says whether it gave a verdict, was over budget or failed.</summary>
    public async Task<JudgeOutcome> RunAsync(JudgeWork work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var judge = work.Judge;
        if (!budget.TryStart(work.Experiment, judge))
        {
            return new JudgeOutcome(JudgeOutcomeKind.BudgetSpent, null, null, null);
        }

        if (!evaluators.TryGet(judge, out var evaluator, out var chat, out var problem))
        {
            return new JudgeOutcome(JudgeOutcomeKind.Failed, null, null, problem);
        }

        EvaluationResult result;
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            // WaitAsync: a plugged-in evaluator that ignores its token still frees this worker at the deadline.
            result = await evaluator!.EvaluateAsync(Messages(work.InputJson), new ChatResponse(new ChatMessage(ChatRole.Assistant, work.Output)), chat, Context(work), linked.Token)
                .AsTask().WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new JudgeOutcome(JudgeOutcomeKind.Failed, null, null, $"Judge '{judge.Name}' did not answer within {timeout.TotalSeconds:0.#} s.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new JudgeOutcome(JudgeOutcomeKind.Failed, null, null, $"Judge '{judge.Name}' failed: {e.Message}");
        }

        var pairwise = work.Against is not null;
        var scoreName = pairwise ? judge.PreferenceScoreName : judge.ScoreName;
        if (!result.TryGet<NumericMetric>(scoreName, out var metric) || metric is null)
        {
            return new JudgeOutcome(JudgeOutcomeKind.Failed, null, null, $"Judge '{judge.Name}' gave no metric named '{scoreName}'.");
        }

        var (prompt, completion) = JudgeMetadata.Usage(metric);
        var cost = costs.CostUsd(judge.Model, prompt, completion);
        var id = $"{scoreName}:{work.RequestId}";
        var error = metric.Diagnostics?.FirstOrDefault(d => d.Severity == EvaluationDiagnosticSeverity.Error)?.Message;
        // A preference is already 0–1 (1: the shadow answer is better); a rating is normalised from the judge's scale. NaN
        // passes both comparisons, so a plugged-in evaluator's NaN preference is refused here, not stored as a value.
        var (low, high) = pairwise ? (0.0, 1.0) : (judge.ScaleMin, judge.ScaleMax);
        if (error is not null || metric.Value is not { } rating || !double.IsFinite(rating) || rating < low || rating > high || (pairwise ? rating : judge.Normalise(rating)) is not { } value)
        {
            // No event will carry this cost, so only this process counts it.
            budget.Add(work.Experiment, judge, cost ?? 0);
            return new JudgeOutcome(JudgeOutcomeKind.Failed, null, cost, error ?? $"Judge '{judge.Name}' gave no rating on its scale {low}–{high}.");
        }

        // Pending under the verdict's id until the store's copy is read back (JudgeBudget.OnStored), so it counts once.
        budget.Add(work.Experiment, judge, cost ?? 0, id);

        var feedback = new ExperimentEvent
        {
            Type = EventType.Feedback,
            Experiment = work.Experiment,
            Variant = work.Variant,
            Unit = work.Unit,
            Stage = work.Stage,
            RequestId = work.RequestId,
            Score = scoreName,
            Value = value,
            Source = JudgeDefinition.Source,
            Model = judge.Model,
            CostUsd = cost,
            Id = id,
            Ts = time.GetUtcNow(),
            Shadow = work.Shadow,
            PairId = work.PairId,
        };
        return new JudgeOutcome(JudgeOutcomeKind.Verdict, feedback, cost, null);
    }

    private static EvaluationContext[] Context(JudgeWork work) => work.Against is { } other
        ? [new SimulatedQualityContext(work.SimulatedQuality, work.RequestId), new PairwiseContext(other, work.AgainstQuality, work.PairId ?? work.RequestId, work.Judge.Name)]
        : [new SimulatedQualityContext(work.SimulatedQuality, work.RequestId)];

    private static List<ChatMessage> Messages(string? inputJson)
    {
        var messages = new List<ChatMessage>();
        if (string.IsNullOrEmpty(inputJson))
        {
            return messages;
        }

        try
        {
            using var document = JsonDocument.Parse(inputJson);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return messages;
            }

            foreach (var message in document.RootElement.EnumerateArray())
            {
                if (message.ValueKind == JsonValueKind.Object)
                {
                    var role = message.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : "user";
                    var content = message.TryGetProperty("content", out var c) ? Text(c) : "";
                    messages.Add(new ChatMessage(new ChatRole(role), content));
                }
            }
        }
        catch (JsonException)
        {
            // A caller's odd messages still leave the answer to judge.
        }

        return messages;
    }

    // OpenAI content is a string or an array of parts; the judge reads the text parts.
    private static string Text(JsonElement content) => content.ValueKind switch
    {
        JsonValueKind.String => content.GetString() ?? "",
        JsonValueKind.Array => string.Concat(content.EnumerateArray()
            .Where(p => p.ValueKind == JsonValueKind.Object && p.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
            .Select(p => p.GetProperty("text").GetString())),
        _ => "",
    };
}
