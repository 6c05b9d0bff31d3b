using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Rampart.Core.Events;
using Rampart.Server.Health;
using Rampart.Storage;

namespace Rampart.Server.Events;

/// <summary>
/// The one writer of events: takes batches from the <see cref="EventQueue"/> and stores them. Batches whose senders await
/// the commit (<c>/api/events</c>, <c>/api/feedback</c>) are written as they come, those queued together in one
/// transaction, each sender hearing its own counts (EventWriter.Awaited.cs); the gateway's
/// events are grouped, up to <c>events.max_batch</c> a transaction, one transaction at most every
/// <c>events.gateway_linger</c> (10 ms) unless many events wait (<see cref="GatewayWait"/>). When a
/// gateway call's events find the queue otherwise empty, the writer lingers up to 10 ms for the next calls to join the
/// same transaction: at a few hundred calls a second this turns hundreds of commits (and as many reads by the results
/// follower) into tens, CPU the gateway's calls then have; under load, the same holds for thousands.
/// On shutdown it stops taking events and stores every one already taken.
/// </summary>
/// <remarks>
/// When the store fails (after a few quick retries), gateway events go to the local <see cref="EventJournal"/> instead,
/// flushed to disk, and <c>/healthz</c> says so; while any are held, newer ones follow them into the journal, and every
/// <see cref="ReplayInterval"/> the writer replays the journal in order, with the same ids, then goes back to the store.
/// When the journal is full too, the queue refuses new events (503) rather than accept what it cannot keep. Nothing of
/// this runs while the store works: the hot path only checks that the journal is empty.
/// </remarks>
internal sealed partial class EventWriter(
    EventQueue queue, IEventStore store, EventJournal journal, StoredSignal stored, CommittedEvents committed, IEventMetrics metrics,
    ServerHealth health, IOptions<EventOptions> settings, IOptions<StorageOptions> storage, TimeProvider time, ILogger<EventWriter> logger)
    : BackgroundService
{
    /// <summary>How often the journal's events are offered to the store again while it fails.</summary>
    public static readonly TimeSpan ReplayInterval = TimeSpan.FromSeconds(1);

    private const int Attempts = 5;

    /// <summary>How many events a commit being retried holds, for the retry's log line.</summary>
    private static readonly ResiliencePropertyKey<int> RetriedCount = new("rampart.events.count");
    private static readonly TimeSpan DrainPoll = TimeSpan.FromMilliseconds(20);
    private ResiliencePipeline? storeRetry;
    private readonly int maxBatch = settings.Value.MaxBatch;
    private readonly TimeSpan linger = settings.Value.GatewayLinger;
    private long lastGatewayCommit;
    private DateTimeOffset nextReplay;
    private string storeError = "";
    private string? journalError;
    private bool givingUp;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // At start, not at the first outage: a journal that cannot be opened stops the server with its path.
        journal.Open();
        if (journal.HeldEvents > 0)
        {
            storeError = "held from before this start";
            ReportHeld(full: null);
        }

        return base.StartAsync(cancellationToken);
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Close();
        return base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = queue.Reader;
        var group = new List<EventBatch>();
        await ReplayAsync(force: true).ConfigureAwait(false);
        while (true)
        {
            await FreeWriterAsync().ConfigureAwait(false);
            if (!reader.TryRead(out var first))
            {
                if (queue.IsClosed && queue.Depth <= 0)
                {
                    await Task.WhenAll(awaitedWrites).ConfigureAwait(false);
                    return;
                }

                await ReplayAsync(force: false).ConfigureAwait(false);
                await WaitAsync(reader, stoppingToken).ConfigureAwait(false);
                continue;
            }

            group.Clear();
            group.Add(first);
            var count = first.Events.Count;
            if (!first.AwaitsCommit && linger > TimeSpan.Zero && !queue.IsClosed && GatewayWait(reader) is var wait && wait > TimeSpan.Zero)
            {
                await LingerAsync(wait).ConfigureAwait(false);
            }

            // Batches whose senders await the commit go straight to the store unless the journal holds events (then
            // WriteAsync tells each sender the store fails). They join only each other, and only when the store reports
            // which events it stored: each sender's counts are then read from that list.
            var awaited = first.AwaitsCommit && journal.HeldEvents == 0;
            var joins = !first.AwaitsCommit || (awaited && storeReportsStored);
            while (joins && count < maxBatch && reader.TryPeek(out var next) && next.AwaitsCommit == first.AwaitsCommit
                   && count + next.Events.Count <= maxBatch && reader.TryRead(out next))
            {
                group.Add(next);
                count += next.Events.Count;
            }

            if (awaited)
            {
                // Side by side with the writes already open, up to events.writers of them; the loop takes the next batches.
                awaitedWrites.Add(WriteAwaitedAsync([.. group], count));
            }
            else
            {
                if (!first.AwaitsCommit)
                {
                    lastGatewayCommit = time.GetTimestamp();
                }

                await WriteAsync(group, count).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// How long a gateway batch just taken waits for more calls' events to share its transaction: an idle writer (nothing
    /// else queued) the whole linger; a busy one until a linger has passed since its last gateway transaction began, and
    /// not at all once <see cref="Crowded"/> events wait; either wait ends when they do (it must not fill the queue and
    /// refuse calls). Under load a transaction then holds a linger's worth of calls rather than whatever came during the
    /// previous commit: fewer commits, each rewriting fewer partly filled pages per event.
    /// </summary>
    private TimeSpan GatewayWait(System.Threading.Channels.ChannelReader<EventBatch> reader)
    {
        if (!reader.TryPeek(out _))
        {
            return linger;
        }

        return queue.Depth >= Crowded ? TimeSpan.Zero : linger - time.GetElapsedTime(lastGatewayCommit);
    }

    /// <summary>Waits <paramref name="wait"/>, or less if the queue gets <see cref="Crowded"/> meanwhile.</summary>
    private async Task LingerAsync(TimeSpan wait)
    {
        // Never the stopping token: the batch already taken is written even while the server stops.
        using var lingering = new CancellationTokenSource();
        var crowded = queue.WhenDepthReaches(Crowded);
        try
        {
            await Task.WhenAny(Task.Delay(wait, time, lingering.Token), crowded).ConfigureAwait(false);
        }
        finally
        {
            queue.StopWatchingDepth();
            await lingering.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>How many waiting events end a linger: <c>events.max_batch</c>, or half the queue's capacity if less.</summary>
    private long Crowded => Math.Min(maxBatch, queue.Capacity / 2);

    private async Task WaitAsync(System.Threading.Channels.ChannelReader<EventBatch> reader, CancellationToken stoppingToken)
    {
        // Once stopping, poll: a gateway call that reserved room may still hand its events over. While the journal holds
        // events, wake up in time for the next replay even when no event comes.
        using var wait = queue.IsClosed ? new CancellationTokenSource(DrainPoll) : CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        if (!queue.IsClosed && journal.HeldEvents > 0)
        {
            wait.CancelAfter(ReplayInterval);
        }

        try
        {
            await reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping, or the poll's interval: look again.
        }
    }

    private async Task WriteAsync(List<EventBatch> group, int count)
    {
        var events = EventsOf(group, count);

        // In order: nothing goes to the store before the events the journal holds.
        if (journal.HeldEvents > 0 && !await ReplayAsync(force: false).ConfigureAwait(false))
        {
            if (group[0].AwaitsCommit)
            {
                group[0].Fail(new IOException($"The event store fails ({storeError}); events are held in the local journal."));
                queue.Done(count);
                return;
            }

            await SpoolAsync(group, events, count).ConfigureAwait(false);
            return;
        }

        // A sender waiting for the commit hears of the failure at once; other events are retried, then kept in the journal.
        var pipeline = group[0].AwaitsCommit ? ResiliencePipeline.Empty : storeRetry ??= StoreRetry(time, logger);
        var context = ResilienceContextPool.Shared.Get(CancellationToken.None);
        context.Properties.Set(RetriedCount, count);
        try
        {
            // Never the stopping token: what was taken is written even while the server stops.
            var result = await pipeline.ExecuteAsync(
                static async (_, state) => await state.store.AppendAsync(state.events, CancellationToken.None).ConfigureAwait(false),
                context, (store, events)).ConfigureAwait(false);
            Stored(result);
            foreach (var batch in group)
            {
                batch.Complete(group.Count == 1 ? result : new AppendResult(batch.Events.Count, 0));
                metrics.EventsWritten(batch.Source, batch.Events.Count);
            }

            queue.Done(count);
            stored.Notify();
        }
#pragma warning disable CA1031 // A failed transaction is reported to its sender or spooled; the writer itself must go on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            if (group[0].AwaitsCommit)
            {
                group[0].Fail(e);
                queue.Done(count);
                return;
            }

            storeError = e.GetType().Name;
            nextReplay = time.GetUtcNow() + ReplayInterval;
            LogSpooling(logger, count, Attempts, journal.Path, e);
            await SpoolAsync(group, events, count).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// Up to <see cref="Attempts"/> tries of a commit, any failure retried after 100 ms times the attempts so far, each retry
    /// logged with the count of events (<see cref="RetriedCount"/>).
    /// </summary>
    private static ResiliencePipeline StoreRetry(TimeProvider time, ILogger logger) => new ResiliencePipelineBuilder { TimeProvider = time }
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(),
            MaxRetryAttempts = Attempts - 1,
            BackoffType = DelayBackoffType.Linear,
            Delay = TimeSpan.FromMilliseconds(100),
            UseJitter = false,
            OnRetry = retry =>
            {
                LogRetrying(logger, retry.Context.Properties.GetValue(RetriedCount, 0), retry.AttemptNumber + 1, retry.Outcome.Exception!);
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    /// <summary>Hands the events of one commit to the results follower (before any sender hears of it).</summary>
    private void Stored(AppendResult result)
    {
        storeReportsStored = result.Stored is not null;
        if (result.Stored is { } storedEvents)
        {
            committed.Add(storedEvents);
        }
    }

    /// <summary>
    /// Keeps gateway events the store did not take in the journal; when the journal is full too, refuses new events and
    /// holds these in memory until the store or the journal takes them.
    /// </summary>
    private async Task SpoolAsync(List<EventBatch> group, IReadOnlyList<ExperimentEvent> events, int count)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (journal.TryAppend(events, out var refusal))
            {
                foreach (var batch in group)
                {
                    batch.Complete(new AppendResult(batch.Events.Count, 0));
                }

                metrics.EventsJournaled(count);
                queue.Done(count);
                queue.Resume();
                ReportHeld(full: null);
                return;
            }

            queue.Refuse();
            ReportHeld(full: refusal);
            if (givingUp || (queue.IsClosed && attempt >= Attempts))
            {
                // Stopping with the store down and the journal full: the one case events are lost, and said loudly.
                givingUp = true;
                LogLost(logger, count, refusal!);
                metrics.EventsLost(count);
                queue.Done(count);
                return;
            }

            await Task.Delay(ReplayInterval, time).ConfigureAwait(false);
            if (await ReplayAsync(force: true).ConfigureAwait(false) && await TryStoreAsync(events).ConfigureAwait(false))
            {
                foreach (var batch in group)
                {
                    metrics.EventsWritten(batch.Source, batch.Events.Count);
                }

                queue.Done(count);
                queue.Resume();
                health.Clear(HealthProblem.EventsNotWritten);
                return;
            }
        }
    }

    private async Task<bool> TryStoreAsync(IReadOnlyList<ExperimentEvent> events)
    {
        try
        {
            Stored(await store.AppendAsync(events, CancellationToken.None).ConfigureAwait(false));
            stored.Notify();
            return true;
        }
#pragma warning disable CA1031 // The store still fails: the caller keeps the events.
        catch (Exception e)
#pragma warning restore CA1031
        {
            storeError = e.GetType().Name;
            LogStoreFailing(logger, events.Count, e);
            return false;
        }
    }

    /// <summary>
    /// Offers the journal's events to the store, oldest first, whole records up to <c>events.max_batch</c> events a
    /// transaction; true once none is held. Unless
    /// <paramref name="force"/>d, tries at most once every <see cref="ReplayInterval"/>. A file that cannot be read (a disk
    /// error, a file cut short under the writer) keeps its events held, is reported on <c>/healthz</c>, and is read again at
    /// the next replay.
    /// </summary>
    private async Task<bool> ReplayAsync(bool force)
    {
        if (journal.HeldEvents == 0)
        {
            return true;
        }

        if (!force && time.GetUtcNow() < nextReplay)
        {
            return false;
        }

        var started = time.GetTimestamp();
        var replayed = 0L;
        try
        {
            while (true)
            {
                List<ExperimentEvent> events;
                try
                {
                    if (!journal.TryPeek(maxBatch, out events))
                    {
                        break;
                    }
                }
                catch (InvalidDataException e)
                {
                    var before = journal.HeldEvents;
                    journal.Advance();
                    LogUnreadable(logger, before - journal.HeldEvents, journal.Path, e);
                    metrics.EventsLost((int)(before - journal.HeldEvents));
                    continue;
                }

                if (!await TryStoreAsync(events).ConfigureAwait(false))
                {
                    nextReplay = time.GetUtcNow() + ReplayInterval;
                    ReportHeld(full: queue.IsRefusing ? "the journal is full" : null);
                    return false;
                }

                metrics.EventsWritten(EventSource.Gateway, events.Count);
                journal.Advance();
                replayed += events.Count;
            }
        }
#pragma warning disable CA1031 // The file fails, not a record (a disk error, a file cut short under the writer): the writer must go on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            // Its events stay held, and the file is read again at the next replay, the gateway serving meanwhile.
            if (journalError is null)
            {
                LogJournalFails(logger, journal.HeldEvents, journal.Path, e);
            }

            journalError = $"{e.GetType().Name}: {e.Message}";
            nextReplay = time.GetUtcNow() + ReplayInterval;
            ReportHeld(full: queue.IsRefusing ? "the journal is full" : null);
            return false;
        }

        journalError = null;
        queue.Resume();
        health.Clear(HealthProblem.EventsNotWritten);
        var elapsed = time.GetElapsedTime(started);
        LogReplayed(logger, replayed, (long)elapsed.TotalMilliseconds);
        return true;
    }

    private void ReportHeld(string? full)
    {
        var since = journal.HeldSince is { } at ? EventLineWriter.FormatTimestamp(at) : "now";
        var held = $"{journal.HeldEvents} events are held in the local journal since {since} ({journal.Bytes} bytes)";
        var (fails, until) = journalError is null
            ? ($"The event store fails ({storeError})", "the store returns")
            : ($"The event journal '{journal.Path}' cannot be read ({journalError})", "it can be read");
        health.Report(HealthProblem.EventsNotWritten, full is null
            ? $"{fails}: {held}; they are written, in order, when {until}."
            : $"{fails} and {full}: calls that record events get 503 until {until}. {held}.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing {Count} events failed (attempt {Attempt}); retrying.")]
    private static partial void LogRetrying(ILogger logger, int count, int attempt, Exception error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The event store still fails; {Count} events stay held.")]
    private static partial void LogStoreFailing(ILogger logger, int count, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing {Count} gateway events failed {Attempts} times; they are kept in the event journal '{Path}' until the store returns.")]
    private static partial void LogSpooling(ILogger logger, int count, int attempts, string path, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} gateway events are lost: the server stops while the store fails and {Refusal}.")]
    private static partial void LogLost(ILogger logger, int count, string refusal);

    [LoggerMessage(Level = LogLevel.Error, Message = "A record of {Count} events in the event journal '{Path}' cannot be read; its events are lost.")]
    private static partial void LogUnreadable(ILogger logger, long count, string path, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading the event journal '{Path}' failed; its {Count} events stay held and reading it is tried again every second.")]
    private static partial void LogJournalFails(ILogger logger, long count, string path, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} events held in the event journal were stored in {Milliseconds} ms; the journal is empty.")]
    private static partial void LogReplayed(ILogger logger, long count, long milliseconds);
}
