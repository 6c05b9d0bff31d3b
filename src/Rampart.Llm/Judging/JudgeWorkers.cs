using Microsoft.Extensions.Logging;
using Rampart.Core.Events;

namespace Rampart.Llm.Judging;

/// <summary>
/// The workers that judge what waits in a <see cref="BoundedJudgeBacklog"/> (docs/judges.md), shared by the server's hosted worker
/// and the in-process <see cref="InProcessJudgeBacklog"/>: each verdict is handed to the store given (the server's event
/// queue, the middleware's event sink); a skip or failure is counted and logged, never thrown.
/// </summary>
public sealed partial class JudgeWorkers
{
    private readonly BoundedJudgeBacklog queue;
    private readonly JudgeRunner runner;
    private readonly JudgeMetrics metrics;
    private readonly Func<ExperimentEvent, ValueTask<string?>> store;
    private readonly ILogger logger;

    /// <summary>Workers taking from <paramref name="queue"/>, judging with <paramref name="runner"/>, counting in <paramref name="metrics"/>.</summary>
    /// <param name="queue">Where the sampled calls wait.</param>
    /// <param name="runner">Judges one call.</param>
    /// <param name="metrics">Counts verdicts, skips, failures and cost.</param>
    /// <param name="store">Takes a verdict's feedback event; gives null when it took it, else why not (then counted as a failure).</param>
    /// <param name="logger">Logs each failure as a warning.</param>
    public JudgeWorkers(BoundedJudgeBacklog queue, JudgeRunner runner, JudgeMetrics metrics, Func<ExperimentEvent, ValueTask<string?>> store, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(logger);
        this.queue = queue;
        this.runner = runner;
        this.metrics = metrics;
        this.store = store;
        this.logger = logger;
    }

    /// <summary>Judges queued calls, <paramref name="concurrency"/> at a time, until the queue completes or <paramref name="stoppingToken"/> is cancelled (queued work is then not judged).</summary>
    public Task RunAsync(int concurrency, CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, concurrency)).Select(_ => Task.Run(() => LoopAsync(stoppingToken), CancellationToken.None)));

    /// <summary>Judges one call and hands its verdict to the store.</summary>
    public async Task JudgeAsync(JudgeWork work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
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
                Failed(work, outcome.Error);
                break;
            default:
                if (await store(outcome.Feedback!).ConfigureAwait(false) is { } refused)
                {
                    Failed(work, refused);
                }
                else
                {
                    metrics.Verdict(work.Experiment, judge);
                }

                break;
        }
    }

    private async Task LoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var work in queue.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await JudgeAsync(work, stoppingToken).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // A store that throws must not end the worker: the judgement is counted as failed and the next one taken.
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
#pragma warning restore CA1031
                {
                    Failed(work, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: queued work is given up.
        }
    }

    private void Failed(JudgeWork work, string? error)
    {
        metrics.Failure(work.Experiment, work.Judge.Name);
        LogFailed(logger, work.Judge.Name, work.RequestId, work.Experiment, error);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Judge '{Judge}' gave no verdict on call {RequestId} of '{Experiment}': {Error}")]
    private static partial void LogFailed(ILogger logger, string judge, string requestId, string experiment, string? error);
}
