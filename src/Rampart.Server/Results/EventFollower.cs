using System.Globalization;
using Microsoft.Extensions.Options;
using Rampart.Analysis.Checkpoints;
using Rampart.Core.Events;
using Rampart.Llm.Judging;
using Rampart.Server.Events;
using Rampart.Server.Health;

namespace Rampart.Server.Results;

/// <summary>
/// Follows the event store in the order events were stored (whoever stored them: this server, another one, <c>rampart
/// import</c>): each event goes into the <see cref="ResultsTracker"/>, each completion to the <see cref="FeedbackJoiner"/>,
/// and each event to the <see cref="JudgeBudget"/> (which counts the judges' verdicts as their daily spend). Reads right
/// after every commit of this server's writer, and at least every 250 ms; the writer's own commits it takes from
/// <see cref="CommittedEvents"/> rather than reading them back.
/// At the start, the aggregates are read from the newest usable checkpoint (<see cref="ICheckpointStore"/>; docs/storage.md,
/// "Checkpoints") and only the events after it are read; every <c>checkpoints.every_events</c> events a new checkpoint is
/// written between two reads.
/// The first read, of everything stored before the server started, runs in the background: the gateway and the data
/// plane serve meanwhile, and every reader of the aggregates (results, charts, the monitor) waits for it through
/// <see cref="CatchUpAsync"/>, so none sees part of the history; the judges wait for <see cref="FirstRead"/>, so none
/// judges before today's spend is known.
/// One event that cannot be aggregated never stalls the others: it is set aside (<see cref="EventQuarantine"/>) and the
/// position moves past it. While reads keep failing, or the first read takes too long, <c>/healthz</c> says
/// <see cref="HealthProblem.ResultsStuck"/>.
/// </summary>
internal sealed partial class EventFollower(
    IEventFeed feed, CommittedEvents committed, ResultsTracker tracker, FeedbackJoiner joiner, JudgeBudget budget, StoredSignal stored, IOptions<FeedbackOptions> settings, TimeProvider time,
    EventQuarantine quarantine, ServerHealth health, ICheckpointStore checkpoints, IOptions<CheckpointOptions> checkpointing, IEventRetention retention, IOptions<RetentionOptions> retaining, ILogger<EventFollower> logger) : BackgroundService
{
    /// <summary>Failed reads in a row after which <c>/healthz</c> reports <see cref="HealthProblem.ResultsStuck"/>.</summary>
    public const int FailuresBeforeStuck = 3;

    /// <summary>How long the first read, of the events stored before the start, may take before it is reported as stuck.</summary>
    public static readonly TimeSpan CatchUpBeforeStuck = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan ExpiryInterval = TimeSpan.FromMinutes(1);
    private long? lastExpiry;
    private const int Page = 5_000;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private readonly SemaphoreSlim reading = new(1, 1);
    private readonly TaskCompletionSource firstRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long position;
    private string? lastEventId;
    private long sinceCheckpoint;
    private long? lastCheckpoint;
    private bool restoreTried;
    private Task? pruning;
    private (long At, ResultsUnavailableException Error)? unavailable;
    private static readonly TimeSpan UnavailableRetry = TimeSpan.FromMinutes(1);
    private volatile bool caughtUp;
    private long eventsRead;
    private long started;
    private int failures;

    /// <summary>The position of the last event read.</summary>
    public long Position => Interlocked.Read(ref position);

    /// <summary>Whether the first read, of every event stored before the server started, has ended.</summary>
    public bool IsCaughtUp => caughtUp;

    /// <summary>Completes when the first read, of every event stored before the server started, has ended.</summary>
    public Task FirstRead => firstRead.Task;

    /// <summary>Stored events read (and applied) since the start; fewer than stored when the start was from a checkpoint.</summary>
    public long EventsRead => Interlocked.Read(ref eventsRead);

    /// <summary>The checkpoint results started from, or null when they were built from the first event.</summary>
    public CheckpointInfo? RestoredFrom { get; private set; }

    /// <summary>
    /// Reads every event stored so far; a results query calls it first, so an acknowledged event always counts. While the
    /// first read runs, a call waits for it.
    /// </summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        await reading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The first read, by whoever calls first (the follower, or a reader waiting for results): no event may be
            // applied before the checkpoint is, nor twice.
            if (!restoreTried)
            {
                await RestoreAsync(cancellationToken).ConfigureAwait(false);
            }

            while (true)
            {
                // This server's own commits, when they continue the position without a gap; then the store, for the rest,
                // but only as far as just before this server's next commit, whose events are taken from the writer (when
                // positions have holes, the read simply goes on past them, in store order).
                var fromWriter = committed.TakeAfter(Position, Page);
                var limit = fromWriter.Count == 0 && committed.NextAfter(Position) is { } next ? (int)Math.Clamp(next - 1 - Position, 1, Page) : Page;
                var page = fromWriter.Count > 0 ? fromWriter : await feed.ReadAfterAsync(Position, limit, cancellationToken).ConfigureAwait(false);
                foreach (var e in page)
                {
                    await ApplyAsync(e, cancellationToken).ConfigureAwait(false);
                    lastEventId = e.Event.Id;
                    Interlocked.Exchange(ref position, e.Position);
                }

                Interlocked.Add(ref eventsRead, page.Count);
                sinceCheckpoint += page.Count;
                if (!caughtUp && time.GetElapsedTime(started) > CatchUpBeforeStuck)
                {
                    health.Report(HealthProblem.ResultsStuck, string.Create(CultureInfo.InvariantCulture,
                        $"Results are still reading the events stored before the start after {CatchUpBeforeStuck.TotalMinutes:F0} min ({Interlocked.Read(ref eventsRead)} read so far)."));
                }
                if (fromWriter.Count == 0 && page.Count < limit)
                {
                    return;
                }
            }
        }
        finally
        {
            reading.Release();
        }
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        started = time.GetTimestamp();
        await joiner.LoadAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var rounds = 0L;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (rounds++ > 0)
                {
                    await stored.WaitAsync(Interval, stoppingToken).ConfigureAwait(false);
                }

                await CatchUpAsync(stoppingToken).ConfigureAwait(false);
                if (!caughtUp)
                {
                    caughtUp = true;
                    firstRead.TrySetResult();
                    var seconds = time.GetElapsedTime(started).TotalSeconds;
                    var count = Interlocked.Read(ref eventsRead);
                    LogCaughtUp(logger, count, seconds);
                }

                failures = 0;
                health.Clear(HealthProblem.ResultsStuck);

                await CheckpointIfDueAsync(stoppingToken).ConfigureAwait(false);
                joiner.RetryReady();
                if (lastExpiry is not { } last || time.GetElapsedTime(last) >= ExpiryInterval)
                {
                    await ExpireAsync(stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed read (a busy file) is retried on the next round; following must not stop.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogReadFailed(logger, e);
                if (++failures >= FailuresBeforeStuck)
                {
                    health.Report(HealthProblem.ResultsStuck, string.Create(CultureInfo.InvariantCulture,
                        $"Reading stored events for results failed {failures} times in a row after position {Position}: {e.Message}"));
                }
            }
        }
    }

    // Validate first, then apply: an event with a number outside the documented range is set aside before it touches any
    // aggregate (EventNumberRules.Problem), so a value can never leave one half-updated nor poison the events after it (a latency of
    // 1e200 makes the next event's squared deviation overflow, not its own). Any other failure (a defect) may have changed
    // part of the experiment's aggregates before it threw: those are rebuilt from the store without the event and swapped
    // in whole. Either way the event is kept in the quarantine and the position moves past it, at every start alike.
    private async Task ApplyAsync(StoredEvent stored, CancellationToken cancellationToken)
    {
        var problem = EventNumberRules.Problem(stored.Event) is { } p ? p + " The event was set aside and counts in no result." : null;
        if (problem is null)
        {
            try
            {
                tracker.Add(stored);
                joiner.OnStored(stored.Event);
            }
#pragma warning disable CA1031 // Whatever a defect throws, one event must not stall results and the monitor for every experiment.
            catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
            {
                await quarantine.AddAsync(stored, Describe(e), cancellationToken).ConfigureAwait(false);
                await RebuildAsync(stored.Event.Experiment, stored.Position, cancellationToken).ConfigureAwait(false);
            }

            // The spend last, once nothing can fail: a quarantine or a rebuild that fails (the store down) reads the event
            // again at the next round, and the spend must count once. Counted either way: a verdict's cost was paid whatever
            // the aggregates make of it.
            budget.OnStored(stored.Event);
            return;
        }

        await quarantine.AddAsync(stored, problem, cancellationToken).ConfigureAwait(false);
    }

    // Reads the experiment's events up to upTo again into a tracker of its own, leaving out every quarantined event, and
    // swaps the result in. An event that fails here too is quarantined and the rebuild starts over: each pass sets one
    // more event aside, so it ends. When retention deleted some of the experiment's events, the rebuild starts from a
    // checkpoint that counts them (RebuildStartAsync), never from what is left.
    private async Task RebuildAsync(string experiment, long upTo, CancellationToken cancellationToken)
    {
        var (rebuilt, at) = await RebuildStartAsync(experiment, upTo, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var page = await feed.ReadAfterAsync(at, Page, cancellationToken).ConfigureAwait(false);
            var (done, again) = (page.Count < Page, false);
            foreach (var e in page)
            {
                if (e.Position > upTo)
                {
                    done = true;
                    break;
                }

                at = e.Position;
                if (e.Event.Experiment != experiment || quarantine.Contains(e.Position))
                {
                    continue;
                }

                try
                {
                    rebuilt.Add(e);
                }
#pragma warning disable CA1031 // As in ApplyAsync: set the event aside and start over.
                catch (Exception error) when (error is not OperationCanceledException)
#pragma warning restore CA1031
                {
                    await quarantine.AddAsync(e, Describe(error), cancellationToken).ConfigureAwait(false);
                    again = true;
                    break;
                }
            }

            if (again)
            {
                (rebuilt, at) = await RebuildStartAsync(experiment, upTo, cancellationToken).ConfigureAwait(false);
            }
            else if (done || at >= upTo)
            {
                tracker.Replace(experiment, rebuilt);
                LogRebuilt(logger, experiment, upTo);
                return;
            }
        }
    }

    private static string Describe(Exception e) => $"{e.GetType().Name}: {e.Message}";

    private async Task ExpireAsync(CancellationToken cancellationToken)
    {
        lastExpiry = time.GetTimestamp();
        await joiner.ExpireAsync(time.GetUtcNow() - settings.Value.PendingTtl, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Results: read {Count} stored events in {Seconds:F1} s; results, charts and the monitor are ready.")]
    private static partial void LogCaughtUp(ILogger logger, long count, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Results: rebuilt the aggregates of '{Experiment}' up to position {Position} without the events set aside.")]
    private static partial void LogRebuilt(ILogger logger, string experiment, long position);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading new events for results failed; retrying.")]
    private static partial void LogReadFailed(ILogger logger, Exception error);
}
