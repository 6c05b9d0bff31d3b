using Microsoft.Extensions.Options;
using Rampart.Core.Alerts;
using Rampart.Llm.Providers;
using Rampart.Llm.Recording;
using Rampart.Llm.Shadowing;
using Rampart.Server.Events;

namespace Rampart.Server.Shadowing;

/// <summary>
/// Makes the queued shadow calls off the request path, <c>shadow.concurrency</c> at a time (docs/shadow.md), with the
/// shared <see cref="ShadowWorkers"/>: each shadow completion goes to the event queue and is stored like any event; a
/// skip or failure is counted and logged, never seen by a caller. Calls still queued when the server stops are not made.
/// </summary>
internal sealed class ShadowWorker(
    ShadowBacklog backlog,
    ProviderRegistry providers,
    ExperimentCallRecorder recorder,
    ShadowBudget budget,
    ShadowMetrics metrics,
    IAlertSink alerts,
    EventQueue events,
    TimeProvider time,
    IOptions<ShadowOptions> options,
    ILogger<ShadowWorker> logger) : BackgroundService
{
    private readonly ShadowWorkers workers = new(backlog, providers, recorder, budget, metrics, alerts, time, options.Value.Timeout, completion =>
        ValueTask.FromResult<string?>(events.TryEnqueue(new EventBatch([completion], EventSource.Gateway, awaitsCommit: false)) ? null : "the event queue is full"), logger);

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => workers.RunAsync(options.Value.Concurrency, stoppingToken);
}
