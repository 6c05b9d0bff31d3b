using Microsoft.Extensions.Options;
using Rampart.Llm.Judging;
using Rampart.Server.Events;
using Rampart.Server.Results;

namespace Rampart.Server.Judging;

/// <summary>
/// Judges the queued calls off the request path, <c>judges.concurrency</c> at a time (docs/judges.md), with the shared
/// <see cref="JudgeWorkers"/>: each verdict goes to the event queue as feedback and is stored like any event; a skip or
/// failure is counted and logged, never seen by a caller. Work still queued when the server stops is not judged. Judging
/// starts once the results follower has read every event stored before the start: the judges' daily spend is counted
/// from the stored verdicts (<see cref="JudgeBudget"/>), so until then a restarted server would not know what today's
/// verdicts have cost. Meanwhile sampled calls wait in the queue.
/// </summary>
internal sealed class JudgeWorker(
    BoundedJudgeBacklog backlog,
    JudgeRunner runner,
    EventQueue events,
    EventFollower follower,
    JudgeMetrics metrics,
    IOptions<JudgeOptions> options,
    ILogger<JudgeWorker> logger) : BackgroundService
{
    private readonly JudgeWorkers workers = new(backlog, runner, metrics, verdict =>
        ValueTask.FromResult<string?>(events.TryEnqueue(new EventBatch([verdict], EventSource.Judge, awaitsCommit: false)) ? null : "the event queue is full"), logger);

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

        await workers.RunAsync(options.Value.Concurrency, stoppingToken).ConfigureAwait(false);
    }
}
