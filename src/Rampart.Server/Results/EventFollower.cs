using Microsoft.Extensions.Options;
using Rampart.Core.Events;
using Rampart.Server.Configuration;
using Rampart.Server.Events;

namespace Rampart.Server.Results;

/// <summary>
/// Follows the event store in the order events were stored (whoever stored them: this server, another one, <c>rampart
/// import</c>): each event goes into the <see cref="ResultsTracker"/>, and each completion to the
/// <see cref="FeedbackJoiner"/>. Reads right after every commit of this server's writer, and at least every 250 ms; the
/// writer's own commits it takes from <see cref="CommittedEvents"/> rather than reading them back.
/// The first read, of everything stored before the server started, runs in the background: the gateway and the data
/// plane serve meanwhile, and every reader of the aggregates (results, charts, the monitor) waits for it through
/// <see cref="CatchUpAsync"/>, so none sees part of the history.
/// </summary>
internal sealed partial class EventFollower(
    IEventFeed feed, CommittedEvents committed, ResultsTracker tracker, FeedbackJoiner joiner, StoredSignal stored, IOptions<ServerSettings> settings, TimeProvider time,
    ILogger<EventFollower> logger) : BackgroundService
{
    private static readonly TimeSpan ExpiryInterval = TimeSpan.FromMinutes(1);
    private long? lastExpiry;
    private const int Page = 5_000;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private readonly SemaphoreSlim reading = new(1, 1);
    private long position;
    private volatile bool caughtUp;
    private long eventsRead;

    /// <summary>The position of the last event read.</summary>
    public long Position => Interlocked.Read(ref position);

    /// <summary>Whether the first read, of every event stored before the server started, has ended.</summary>
    public bool IsCaughtUp => caughtUp;

    /// <summary>
    /// Reads every event stored so far; a results query calls it first, so an acknowledged event always counts. While the
    /// first read runs, a call waits for it.
    /// </summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        await reading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                // This server's own commits, when they continue the position without a gap; then the store, for the rest.
                var fromWriter = committed.TakeAfter(Position, Page);
                var page = fromWriter.Count > 0 ? fromWriter : await feed.ReadAfterAsync(Position, Page, cancellationToken).ConfigureAwait(false);
                foreach (var e in page)
                {
                    tracker.Add(e);
                    joiner.OnStored(e.Event);
                    Interlocked.Exchange(ref position, e.Position);
                }

                Interlocked.Add(ref eventsRead, page.Count);
                if (fromWriter.Count == 0 && page.Count < Page)
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
        await joiner.LoadAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = time.GetTimestamp();
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
                    var seconds = time.GetElapsedTime(started).TotalSeconds;
                    var count = Interlocked.Read(ref eventsRead);
                    LogCaughtUp(logger, count, seconds);
                }

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
            }
        }
    }

    private async Task ExpireAsync(CancellationToken cancellationToken)
    {
        lastExpiry = time.GetTimestamp();
        await joiner.ExpireAsync(time.GetUtcNow() - settings.Value.PendingFeedbackTtl, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Results: read {Count} stored events in {Seconds:F1} s; results, charts and the monitor are ready.")]
    private static partial void LogCaughtUp(ILogger logger, long count, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading new events for results failed; retrying.")]
    private static partial void LogReadFailed(ILogger logger, Exception error);
}
