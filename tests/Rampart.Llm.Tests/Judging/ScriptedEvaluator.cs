using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace Rampart.Llm.Tests.Judging;

/// <summary>
/// A plugged-in judge (an <see cref="IEvaluator"/>, the extension point of docs/judges.md) that rates 4 once <see cref="Release"/>
/// lets it (at once unless <see cref="Blocks"/>), or throws when given a failure; <see cref="Started"/> says it was called.
/// </summary>
public sealed class ScriptedEvaluator(string judge, Exception? failure = null) : IEvaluator
{
    public bool Blocks { get; init; }

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyCollection<string> EvaluationMetricNames => ["judge_" + judge];

    public async ValueTask<EvaluationResult> EvaluateAsync(IEnumerable<ChatMessage> messages, ChatResponse modelResponse, ChatConfiguration? chatConfiguration = null,
        IEnumerable<EvaluationContext>? additionalContext = null, CancellationToken cancellationToken = default)
    {
        Started.TrySetResult();
        if (failure is not null)
        {
            throw failure;
        }

        if (Blocks)
        {
            await Release.Task.WaitAsync(cancellationToken);
        }

        return new EvaluationResult(new NumericMetric("judge_" + judge, 4));
    }
}
