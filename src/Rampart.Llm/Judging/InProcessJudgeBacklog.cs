using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI.Evaluation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rampart.Core.Events;
using Rampart.Core.Experiments;
using Rampart.Llm.Pricing;
using Rampart.Llm.Providers;

namespace Rampart.Llm.Judging;

/// <summary>
/// The in-process middleware's judge backlog (docs/judges.md, docs/middleware.md): a bounded <see cref="BoundedJudgeBacklog"/>
/// (a write never waits; over <see cref="JudgeOptions.QueueCapacity"/> or <see cref="JudgeOptions.QueueMaxBytes"/> the
/// judgement is dropped and counted) drained by <see cref="JudgeOptions.Concurrency"/> background workers, started with
/// the first sampled call, that run the judges and write each verdict to the event sink as feedback. A call never waits
/// for its judges, and a judge's failure is counted and logged, never thrown. Counts go to the meter
/// <see cref="MeterName"/> with the server's instrument names (<see cref="JudgeMetrics"/>). Disposing stops the workers:
/// work still queued, or offered afterwards, is not judged.
/// </summary>
public sealed class InProcessJudgeBacklog : IJudgeBacklog, IDisposable, IAsyncDisposable
{
    /// <summary>The meter the in-process judges' counts are on (add it to OpenTelemetry's metrics to export them).</summary>
    public const string MeterName = "Rampart.Llm";

    // Without an IMeterFactory, one meter for the process: a meter per backlog would stay registered until disposed.
    private static readonly Lazy<JudgeMetrics> SharedMetrics = new(() => new JudgeMetrics(new Meter(MeterName)));

    private readonly IEventSink events;
    private readonly BoundedJudgeBacklog queue;
    private readonly JudgeWorkers workers;
    private readonly int concurrency;
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock gate = new();
    private Task? running;
    private bool disposed;

    /// <summary>A backlog whose verdicts go to <paramref name="events"/>.</summary>
    /// <param name="events">Where the verdicts' feedback events are written.</param>
    /// <param name="providers">The providers a judge may name; null: only the simulated provider <c>sim</c>.</param>
    /// <param name="evaluators">Gives a plugged-in evaluator for a judge, or null for the built-in one (docs/judges.md); null: none plugged in.</param>
    /// <param name="options">The queue's bounds, the workers and the judge timeout; null: the defaults. Invalid ones throw, every problem listed.</param>
    /// <param name="costs">Prices the judge calls; null: the built-in prices.</param>
    /// <param name="time">The clock of the verdicts, the timeout and the daily budget; null: the system clock.</param>
    /// <param name="meters">Creates the meter <see cref="MeterName"/>; null: one meter of that name shared by the process.</param>
    /// <param name="logger">Logs each failed judgement as a warning; null: not logged.</param>
    public InProcessJudgeBacklog(
        IEventSink events,
        ProviderRegistry? providers = null,
        Func<JudgeDefinition, IEvaluator?>? evaluators = null,
        JudgeOptions? options = null,
        CostEstimator? costs = null,
        TimeProvider? time = null,
        IMeterFactory? meters = null,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        options ??= new JudgeOptions();
        if (options.Validate() is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        time ??= TimeProvider.System;
        this.events = events;
        concurrency = options.Concurrency;
        var metrics = meters is null ? SharedMetrics.Value : new JudgeMetrics(meters.Create(MeterName));
        queue = new BoundedJudgeBacklog(options, metrics);
        var runner = new JudgeRunner(
            new JudgeEvaluators(providers ?? SimulatedOnly(time), evaluators), costs ?? new CostEstimator(PriceTable.BuiltIn), new JudgeBudget(time), time, options.Timeout);
        workers = new JudgeWorkers(queue, runner, metrics, StoreAsync, logger ?? NullLogger.Instance);
    }

    /// <summary>The bytes the waiting work's text takes now.</summary>
    public long Bytes => queue.Bytes;

    /// <inheritdoc />
    public bool TryEnqueue(JudgeWork work)
    {
        if (!queue.TryEnqueue(work))
        {
            return false;
        }

        if (Volatile.Read(ref running) is null)
        {
            lock (gate)
            {
                if (running is null && !disposed)
                {
                    running = workers.RunAsync(concurrency, stopping.Token);
                }
            }
        }

        return true;
    }

    /// <summary>Stops the workers without waiting for them; queued work is not judged.</summary>
    public void Dispose()
    {
        if (!TryStop(out var workersRunning))
        {
            return;
        }

        if (workersRunning is null)
        {
            stopping.Dispose();
            return;
        }

        // The workers hold the token until they have seen it cancelled.
        workersRunning.ContinueWith(_ => stopping.Dispose(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>Stops the workers and waits for the judge calls under way to end; queued work is not judged.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!TryStop(out var workersRunning))
        {
            return;
        }

        if (workersRunning is not null)
        {
            await workersRunning.ConfigureAwait(false);
        }

        stopping.Dispose();
    }

    private bool TryStop(out Task? workersRunning)
    {
        lock (gate)
        {
            workersRunning = running;
            if (disposed)
            {
                return false;
            }

            disposed = true;
        }

        queue.Complete();
        stopping.Cancel();
        return true;
    }

    private async ValueTask<string?> StoreAsync(ExperimentEvent verdict)
    {
        try
        {
            // Not the stopping token: a verdict that was given is written even while the queue stops.
            await events.WriteAsync(verdict, CancellationToken.None).ConfigureAwait(false);
            return null;
        }
#pragma warning disable CA1031 // A sink that refuses a verdict fails that judgement (counted and logged), not the worker.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return $"the event sink refused the verdict: {e.Message}";
        }
    }

    // Only the simulated provider: its registry calls for no HTTP client.
    private static ProviderRegistry SimulatedOnly(TimeProvider time) =>
        new([], name => throw new InvalidOperationException($"Provider '{name}' needs an HTTP client; pass a ProviderRegistry."), time);
}
