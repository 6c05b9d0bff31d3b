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
        var signalFailed = false;   // since the last tick: ask the signal again at the next one
        var signalDown = false;     // since the last wait that ended well: the failure is logged once, not every second
        try
        {
            while (true)
            {
                // Each wait is kept until it ends, so waiting again never stacks up registrations. After the signal has
                // failed it is asked again at the next tick, not at once: the poll goes on meanwhile.
                tick ??= timer.WaitForNextTickAsync(stoppingToken).AsTask();
                changed ??= signalFailed ? null : NextChange(stoppingToken);
                if (changed is null || await Task.WhenAny(tick, changed).ConfigureAwait(false) == tick)
                {
                    var running = await tick.ConfigureAwait(false);
                    tick = null;
                    signalFailed = false;
                    if (!running)
                    {
                        return;
                    }
                }
                else
                {
                    signalFailed = !await EndedWellAsync(changed, logged: signalDown).ConfigureAwait(false);
                    signalDown = signalFailed;
                    // Wait for the next change before reading: one announced while this refresh reads (a start right
                    // after a create) must bring another refresh, not wait for the timer.
                    changed = signalFailed ? null : NextChange(stoppingToken);
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

    // The signal's next change; one that cannot be asked for is a failed wait, not the end of the refresher.
    private Task NextChange(CancellationToken stoppingToken)
    {
        try
        {
            return changes.NextChangeAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Task.FromException(e);
        }
    }

    // Whether a wait for a change ended with one rather than an error (logged unless already: the poll carries on alone).
    private async Task<bool> EndedWellAsync(Task changed, bool logged)
    {
        try
        {
            await changed.ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (!logged)
            {
                LogSignalFailed(logger, e);
            }

            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting for the store's change announcements failed; polling every second, and asking again each second, until they work again.")]
    private static partial void LogSignalFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing experiment snapshots failed; serving the last ones.")]
    private static partial void LogRefreshFailed(ILogger logger, Exception error);
}
