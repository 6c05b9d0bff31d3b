using Rampart.Core.Rollouts;

namespace Rampart.Server.Experiments;

/// <summary>
/// Refreshes the <see cref="ExperimentSnapshots"/> from the store at once when the store announces a change (another
/// server's rollback, a CLI command: <see cref="IExperimentChangeSignal"/>), and about every second in any case, the
/// fallback when an announcement is lost.
/// </summary>
internal sealed partial class SnapshotRefresher(
    ExperimentSnapshots snapshots, IExperimentChangeSignal changes, TimeProvider time, ILogger<SnapshotRefresher> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await snapshots.RefreshAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        Task<bool>? tick = null;
        Task? changed = null;
        try
        {
            while (true)
            {
                // Each wait is kept until it ends, so waiting again never stacks up registrations.
                tick ??= timer.WaitForNextTickAsync(stoppingToken).AsTask();
                changed ??= changes.NextChangeAsync(stoppingToken);
                if (await Task.WhenAny(tick, changed).ConfigureAwait(false) == tick)
                {
                    var running = await tick.ConfigureAwait(false);
                    tick = null;
                    if (!running)
                    {
                        return;
                    }
                }
                else
                {
                    await changed.ConfigureAwait(false);
                    // Wait for the next change before reading: one announced while this refresh reads (a start right
                    // after a create) must bring another refresh, not wait for the timer.
                    changed = changes.NextChangeAsync(stoppingToken);
                }

                try
                {
                    await snapshots.RefreshAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogRefreshFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing experiment snapshots failed; serving the last ones.")]
    private static partial void LogRefreshFailed(ILogger logger, Exception error);
}
