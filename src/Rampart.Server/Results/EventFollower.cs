using Microsoft.Extensions.Options;
using Rampart.Core.Events;
using Rampart.Server.Configuration;
using Rampart.Server.Events;

namespace Rampart.Server.Results;

/// <summary>
/// Follows the event store in the order events were stored (whoever stored them: this server, another one, <c>rampart
/// import</c>): each event goes into the <see cref="ResultsTracker"/>, and each completion to the
/// <see cref="FeedbackJoiner"/>. Reads right after every commit of this server's writer, and at least every 250 ms.
/// </summary>
internal sealed partial class EventFollower(
    IEventFeed feed, ResultsTracker tracker, FeedbackJoiner joiner, StoredSignal stored, IOptions<ServerSettings> settings, TimeProvider time,
    ILogger<EventFollower> logger) : BackgroundService
{
    private static readonly TimeSpan ExpiryInterval = TimeSpan.FromMinutes(1);
    private long lastExpiry;
    private const int Page = 5_000;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private readonly SemaphoreSlim reading = new(1, 1);
    private long position;

    /// <summary>The position of the last event read.</summary>
    public long Position => Interlocked.Read(ref position);

    /// <summary>Reads every event stored so far; a results query calls it first, so an acknowledged event always counts.</summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        await reading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                var page = await feed.ReadAfterAsync(Position, Page, cancellationToken).ConfigureAwait(false);
                foreach (var e in page)
                {
                    tracker.Add(e);
                    joiner.OnStored(e.Event);
                    Interlocked.Exchange(ref position, e.Position);
                }

                if (page.Count < Page)
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
        await CatchUpAsync(cancellationToken).ConfigureAwait(false);
        await ExpireAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await stored.WaitAsync(Interval, stoppingToken).ConfigureAwait(false);
                await CatchUpAsync(stoppingToken).ConfigureAwait(false);
                joiner.RetryReady();
                if (time.GetElapsedTime(lastExpiry) >= ExpiryInterval)
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading new events for results failed; retrying.")]
    private static partial void LogReadFailed(ILogger logger, Exception error);
}
