using Microsoft.Extensions.Options;
using Rampart.Llm.Judging;
using Rampart.Server.Events;

namespace Rampart.Server.Judging;

/// <summary>
/// Judges the queued calls off the request path, <c>judges.concurrency</c> at a time (docs/judges.md), with the shared
/// <see cref="JudgeWorkers"/>: each verdict goes to the event queue as feedback and is stored like any event; a skip or
/// failure is counted and logged, never seen by a caller. Work still queued when the server stops is not judged.
/// </summary>
internal sealed class JudgeWorker(
    BoundedJudgeBacklog backlog,
    JudgeRunner runner,
    EventQueue events,
    JudgeMetrics metrics,
    IOptions<JudgeOptions> options,
    ILogger<JudgeWorker> logger) : BackgroundService
{
    private readonly JudgeWorkers workers = new(backlog, runner, metrics, verdict =>
        ValueTask.FromResult<string?>(events.TryEnqueue(new EventBatch([verdict], EventSource.Judge, awaitsCommit: false)) ? null : "the event queue is full"), logger);

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => workers.RunAsync(options.Value.Concurrency, stoppingToken);
}
