using Microsoft.Extensions.Options;
using Rampart.Core.Events;
using Rampart.Server.Configuration;
using Rampart.Server.Telemetry;

namespace Rampart.Server.Events;

/// <summary>
/// The one writer of events: takes batches from the <see cref="EventQueue"/> and stores them. A batch whose sender awaits
/// the commit (<c>/api/events</c>, <c>/api/feedback</c>) is its own transaction, so its counts are its own; the gateway's
/// events are grouped, up to <c>events.max_batch</c> a transaction, and are stored as soon as the previous transaction
/// ends (well within 100 ms under load). When a gateway call's events find the queue otherwise empty, the writer lingers
/// <c>events.gateway_linger</c> (10 ms) for the next calls to join the same transaction: at a few hundred calls a second this
/// turns hundreds of commits (and as many reads by the results follower) into tens, CPU the gateway's calls then have.
/// On shutdown it stops taking events and stores every one already taken.
/// </summary>
internal sealed partial class EventWriter(
    EventQueue queue, IEventStore store, StoredSignal stored, CommittedEvents committed, ServerMetrics metrics, IOptions<ServerSettings> settings, TimeProvider time,
    ILogger<EventWriter> logger)
    : BackgroundService
{
    private const int Attempts = 5;
    private static readonly TimeSpan DrainPoll = TimeSpan.FromMilliseconds(20);
    private readonly int maxBatch = settings.Value.MaxBatch;
    private readonly TimeSpan linger = settings.Value.GatewayLinger;

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Close();
        return base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = queue.Reader;
        var group = new List<EventBatch>();
        while (true)
        {
            if (!reader.TryRead(out var first))
            {
                if (queue.IsClosed && queue.Depth <= 0)
                {
                    return;
                }

                await WaitAsync(reader, stoppingToken).ConfigureAwait(false);
                continue;
            }

            group.Clear();
            group.Add(first);
            var count = first.Events.Count;
            if (!first.AwaitsCommit && linger > TimeSpan.Zero && !queue.IsClosed && !reader.TryPeek(out _))
            {
                // Never the stopping token: the batch already taken is written even while the server stops.
                await Task.Delay(linger, time, CancellationToken.None).ConfigureAwait(false);
            }

            while (!first.AwaitsCommit && count < maxBatch && reader.TryPeek(out var next) && !next.AwaitsCommit && reader.TryRead(out next))
            {
                group.Add(next);
                count += next.Events.Count;
            }

            await WriteAsync(group, count).ConfigureAwait(false);
        }
    }

    private async Task WaitAsync(System.Threading.Channels.ChannelReader<EventBatch> reader, CancellationToken stoppingToken)
    {
        // Once stopping, poll: a gateway call that reserved room may still hand its events over.
        using var wait = queue.IsClosed ? new CancellationTokenSource(DrainPoll) : CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
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
        var events = group.Count == 1 ? group[0].Events : [.. group.SelectMany(b => b.Events)];
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Never the stopping token: what was taken is written even while the server stops.
                var result = await store.AppendAsync(events, CancellationToken.None).ConfigureAwait(false);

                // For the results follower before any sender hears of the commit (and asks for results).
                if (result.Stored is { } storedEvents)
                {
                    committed.Add(storedEvents);
                }

                foreach (var batch in group)
                {
                    batch.Complete(group.Count == 1 ? result : new AppendResult(batch.Events.Count, 0));
                    metrics.EventsWritten(batch.Source, batch.Events.Count);
                }

                queue.Done(count);
                stored.Notify();
                return;
            }
#pragma warning disable CA1031 // A failed transaction is reported to its sender or retried; the writer itself must go on.
            catch (Exception e) when (group[0].AwaitsCommit || attempt < Attempts)
#pragma warning restore CA1031
            {
                if (group[0].AwaitsCommit)
                {
                    group[0].Fail(e);
                    queue.Done(count);
                    return;
                }

                LogRetrying(logger, count, attempt, e);
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt)).ConfigureAwait(false);
            }
#pragma warning disable CA1031
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogLost(logger, count, Attempts, e);
                metrics.EventsLost(count);
                queue.Done(count);
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing {Count} events failed (attempt {Attempt}); retrying.")]
    private static partial void LogRetrying(ILogger logger, int count, int attempt, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} gateway events could not be stored after {Attempts} attempts and are lost.")]
    private static partial void LogLost(ILogger logger, int count, int attempts, Exception error);
}
