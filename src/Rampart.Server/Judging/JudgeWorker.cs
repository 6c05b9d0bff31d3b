using Microsoft.Extensions.Options;
using Rampart.Llm.Judging;
using Rampart.Server.Events;
using Rampart.Server.Results;

namespace Rampart.Server.Judging;

/// <summary>
/// Judges the queued calls off the request path, <c>judges.concurrency</c> at a time (docs/judges.md): each verdict goes to
/// the event queue as feedback and is stored like any event; a skip or failure is counted and logged, never seen by a caller.
/// Work still queued when the server stops is not judged. Judging starts once the results follower has read every event
/// stored before the start: the judges' daily spend is counted from the stored verdicts (<see cref="JudgeBudget"/>), so
/// until then a restarted server would not know what today's verdicts have cost. Meanwhile sampled calls wait in the queue.
/// </summary>
internal sealed partial class JudgeWorker(
    JudgeQueue judgeQueue,
    JudgeRunner runner,
    EventQueue events,
    EventFollower follower,
    JudgeMetrics metrics,
    IOptions<JudgeOptions> options,
    ILogger<JudgeWorker> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await follower.FirstRead.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        await Task.WhenAll(Enumerable.Range(0, options.Value.Concurrency).Select(_ => Task.Run(() => LoopAsync(stoppingToken), stoppingToken))).ConfigureAwait(false);
    }

    private async Task LoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var work in judgeQueue.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                await JudgeAsync(work, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: queued work is given up.
        }
    }

    /// <summary>Judges one call and hands its verdict to the event queue.</summary>
    internal async Task JudgeAsync(JudgeWork work, CancellationToken cancellationToken)
    {
        var judge = work.Judge.Name;
        var outcome = await runner.RunAsync(work, cancellationToken).ConfigureAwait(false);
        if (outcome.CostUsd is { } cost)
        {
            metrics.Cost(work.Experiment, judge, cost);
        }

        switch (outcome.Kind)
        {
            case JudgeOutcomeKind.BudgetSpent:
                metrics.Skipped(work.Experiment, judge, JudgeMetrics.Budget);
                break;
            case JudgeOutcomeKind.Failed:
                metrics.Failure(work.Experiment, judge);
                LogFailed(logger, judge, work.RequestId, work.Experiment, outcome.Error);
                break;
            default:
                if (events.TryEnqueue(new EventBatch([outcome.Feedback!], EventSource.Judge, awaitsCommit: false)))
                {
                    metrics.Verdict(work.Experiment, judge);
                }
                else
                {
                    metrics.Failure(work.Experiment, judge);
                    LogFailed(logger, judge, work.RequestId, work.Experiment, "the event queue is full");
                }

                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Judge '{Judge}' gave no verdict on call {RequestId} of '{Experiment}': {Error}")]
    private static partial void LogFailed(ILogger logger, string judge, string requestId, string experiment, string? error);
}
