using System.Collections.Concurrent;
using System.Globalization;
using Rampart.Analysis.Monitoring;
using Rampart.Analysis.Segments;
using Rampart.Core.Alerts;
using Rampart.Core.Events;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;
using Rampart.Server.Experiments;
using Rampart.Server.Health;
using Rampart.Server.Results;

namespace Rampart.Server.Monitor;

/// <summary>
/// The rollout monitor (docs/rollouts.md): every experiment's <c>check_interval</c> (timed by the injected <see cref="TimeProvider"/>),
/// it takes the experiment's <see cref="IMonitorLease"/>, decides from the incremental aggregates (<see cref="MonitorEngine"/>)
/// and acts through <see cref="RolloutActuator"/> as <c>monitor</c>: rollbacks, stage advances, promotions, each an audit
/// entry with the metrics behind it, and alerts for rollbacks, promotions and sample-ratio holds. A concurrent change is
/// decided again on the new state, so an action no longer due is dropped rather than applied twice. A failing check is
/// logged and the monitor carries on with the other experiments; a stored experiment that cannot be read is named and the
/// others are still checked, from the first pass after a start. While the store cannot be listed at all (a timeout, a broken
/// connection), the running experiments of the last listing are checked one by one. While a check fails, an experiment cannot
/// be read or the store cannot be listed, <c>/healthz</c> says <see cref="HealthProblem.MonitorFailing"/>, naming them; a pass
/// without any clears it. A promotion is held while a segment blocks it (<c>promotion.max_segment_drop</c>, docs/targeting.md):
/// checked then, from the stored events.
/// </summary>
public sealed partial class RolloutMonitor : BackgroundService
{
    /// <summary>How often the monitor wakes to see which experiments are due.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    /// <summary>The longest the monitor waits between two checks of a running experiment, whatever its <c>check_interval</c>.</summary>
    public static readonly TimeSpan MaxCheckInterval = TimeSpan.FromHours(1);

    // /healthz names at most this many unreadable experiments (the log names each one as it turns up).
    private const int NamedUnreadable = 20;

    private readonly IExperimentStore store;
    private readonly RolloutActuator actuator;
    private readonly ResultsTracker tracker;
    private readonly EventFollower follower;
    private readonly ExperimentSnapshots snapshots;
    private readonly IMonitorLease lease;
    private readonly TimeProvider time;
    private readonly ServerHealth health;
    private readonly ILogger<RolloutMonitor> logger;
    // Monotonic timestamps (TimeProvider.GetTimestamp): a wall clock stepped back must not keep the guard off until it catches up.
    private readonly ConcurrentDictionary<string, long> lastChecked = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> failing = new(StringComparer.Ordinal);

    // The running experiments of the last listing, with their check_interval: checked one by one while the store cannot be
    // listed (a check reads one row, which may still work).
    private readonly ConcurrentDictionary<string, TimeSpan> guarded = new(StringComparer.Ordinal);

    // The stored experiments the last listing could not read, with why: the monitor cannot tell whether they run, nor guard them.
    private readonly ConcurrentDictionary<string, string> unreadable = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> checking = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> segmentHeld = new(StringComparer.Ordinal);

    internal RolloutMonitor(
        IExperimentStore store, ResultsTracker tracker, EventFollower follower, ExperimentSnapshots snapshots, IMonitorLease lease,
        IAlertSink alerts, TimeProvider time, ServerHealth health, ILogger<RolloutMonitor> logger)
    {
        this.store = store;
        this.tracker = tracker;
        this.follower = follower;
        this.snapshots = snapshots;
        this.lease = lease;
        this.time = time;
        this.health = health;
        this.logger = logger;
        actuator = new RolloutActuator(store, tracker.Decide, alerts, time);
    }

    /// <summary>The stored events, read to check a promotion against <c>promotion.max_segment_drop</c>; none: not checked.</summary>
    internal IEventStore? Events { get; init; }

    /// <summary>Which experiments had events pruned: their segments cannot be checked from what is stored.</summary>
    internal IEventRetention? Retention { get; init; }

    /// <summary>Checks every running experiment whose <c>check_interval</c> has passed since its last check.</summary>
    public Task CheckDueAsync(CancellationToken cancellationToken = default) => CheckAsync(onlyDue: true, cancellationToken);

    /// <summary>Checks every running experiment now, whatever its <c>check_interval</c> (tests, the demo).</summary>
    public Task CheckAllAsync(CancellationToken cancellationToken = default) => CheckAsync(onlyDue: false, cancellationToken);

    /// <summary>Checks one experiment now and acts; returns the actions applied (a failure propagates).</summary>
    public async Task<IReadOnlyList<MonitorAction>> CheckExperimentAsync(string key, CancellationToken cancellationToken = default)
    {
        // After a start this waits for the stored events to be read, before the lease is taken: another server's monitor
        // may check the experiment meanwhile.
        await follower.CatchUpAsync(cancellationToken).ConfigureAwait(false);

        // Checks within this server wait for each other (an explicit check while the background one runs is still made, on
        // the state that one left); the lease only turns away another server's check.
        var gate = checking.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await CheckLeasedAsync(key, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<IReadOnlyList<MonitorAction>> CheckLeasedAsync(string key, CancellationToken cancellationToken)
    {
        var held = await lease.TryAcquireAsync(key, cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            LogLeaseHeld(logger, key);
            return [];
        }

        await using (held.ConfigureAwait(false))
        {
            var experiment = await store.FindAsync(key, cancellationToken).ConfigureAwait(false);
            if (experiment is null || experiment.State != ExperimentState.Running)
            {
                return [];
            }

            lastChecked[key] = time.GetTimestamp();
            await follower.CatchUpAsync(cancellationToken).ConfigureAwait(false);
            var decision = tracker.Decide(experiment, time.GetUtcNow());
            var applied = new List<MonitorAction>();
            foreach (var action in decision.Actions)
            {
                if (action.Kind == MonitorActionKind.Promote && await SegmentBlockAsync(experiment, action.Variant!, cancellationToken).ConfigureAwait(false) is { } blocked)
                {
                    if (segmentHeld.TryGetValue(key, out var said) is false || said != blocked)
                    {
                        segmentHeld[key] = blocked;
                        LogSegmentHeld(logger, key, action.Variant!, blocked);
                    }

                    continue;
                }

                if (await ActAsync(experiment, action, cancellationToken).ConfigureAwait(false))
                {
                    applied.Add(action);
                }
            }

            return applied;
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Tick, time, stoppingToken).ConfigureAwait(false);
                await CheckDueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A pass failed beyond its own handling: the next tick tries again; the monitor must not stop.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogRoundFailed(logger, e);
                health.Report(HealthProblem.MonitorFailing, $"A pass of the monitor failed: {e.Message}");
            }
        }
    }

    private async Task CheckAsync(bool onlyDue, CancellationToken cancellationToken)
    {
        ExperimentListResult listed;
        try
        {
            listed = await store.ListAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // The store itself failed (an unreadable row does not fail a listing): the guard must go on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogListFailed(logger, e);
            foreach (var (key, interval) in guarded)
            {
                await CheckOneAsync(key, interval, onlyDue, cancellationToken).ConfigureAwait(false);
            }

            ReportHealth();
            health.Report(HealthProblem.MonitorFailing,
                $"Listing the experiments to check failed, so only the {guarded.Count} running at the last listing are checked, one by one: {e.Message}");
            return;
        }

        NoteUnreadable(listed.Unreadable);
        var running = listed.Experiments.Where(e => e.State == ExperimentState.Running).ToList();
        foreach (var key in guarded.Keys.Except(running.Select(e => e.Key), StringComparer.Ordinal))
        {
            guarded.TryRemove(key, out _);
        }

        foreach (var experiment in running)
        {
            guarded[experiment.Key] = experiment.Definition.Guardrails.CheckInterval;
            await CheckOneAsync(experiment.Key, experiment.Definition.Guardrails.CheckInterval, onlyDue, cancellationToken).ConfigureAwait(false);
        }

        // An experiment that stopped running is no longer checked: its failure ends with it.
        foreach (var key in failing.Keys.Except(running.Select(e => e.Key), StringComparer.Ordinal))
        {
            failing.TryRemove(key, out _);
        }

        ReportHealth();
    }

    private async Task CheckOneAsync(string key, TimeSpan checkInterval, bool onlyDue, CancellationToken cancellationToken)
    {
        // However long check_interval is ("1000000d" is a valid duration), the guardrails are checked at least every MaxCheckInterval.
        if (onlyDue && lastChecked.TryGetValue(key, out var last) && time.GetElapsedTime(last) < (checkInterval < MaxCheckInterval ? checkInterval : MaxCheckInterval))
        {
            return;
        }

        try
        {
            await CheckExperimentAsync(key, cancellationToken).ConfigureAwait(false);
            failing.TryRemove(key, out _);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // One experiment's failed check is logged and must not stop the others or the monitor.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogCheckFailed(logger, key, e);
            failing[key] = e.Message;

            // A guard that could not act tries again at the next tick, not a check_interval later.
            lastChecked.TryRemove(key, out _);
        }
    }

    // Keeps the listing's unreadable experiments for the health report; each is logged when it becomes unreadable (or its
    // reason changes), not at every tick.
    private void NoteUnreadable(IReadOnlyList<UnreadableExperiment> listed)
    {
        foreach (var key in unreadable.Keys.Except(listed.Select(u => u.Key), StringComparer.Ordinal))
        {
            unreadable.TryRemove(key, out _);
        }

        foreach (var (key, reason) in listed)
        {
            if (!unreadable.TryGetValue(key, out var said) || said != reason)
            {
                unreadable[key] = reason;
                LogUnreadable(logger, key, reason);
            }
        }
    }

    // Degraded while any stored experiment cannot be read, or the last check of any running experiment failed; each failing
    // experiment clears itself with its next good check (checks follow each experiment's check_interval, so one pass need not
    // check them all), each unreadable one with the first listing that reads it.
    private void ReportHealth()
    {
        var failures = failing.OrderBy(f => f.Key, StringComparer.Ordinal).ToList();
        var unread = unreadable.OrderBy(u => u.Key, StringComparer.Ordinal).ToList();
        if (failures.Count == 0 && unread.Count == 0)
        {
            health.Clear(HealthProblem.MonitorFailing);
            return;
        }

        var reasons = new List<string>(2);
        if (unread.Count > 0)
        {
            var named = string.Join(", ", unread.Take(NamedUnreadable).Select(u => $"'{u.Key}'"));
            var more = unread.Count > NamedUnreadable ? $" and {unread.Count - NamedUnreadable} more (the log names each)" : "";
            reasons.Add(string.Create(CultureInfo.InvariantCulture,
                $"{unread.Count} stored experiment(s) cannot be read, so the monitor cannot guard them: {named}{more}; '{unread[0].Key}': {unread[0].Value}"));
        }

        if (failures.Count > 0)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture,
                $"The last check of {failures.Count} running experiment(s) failed, so their guardrails are not acting; '{failures[0].Key}': {failures[0].Value}"));
        }

        health.Report(HealthProblem.MonitorFailing, string.Join(" ", reasons));
    }

    // Why a segment blocks promoting the winner (promotion.max_segment_drop), as the results' recommendation says it, or null.
    // One read of the experiment's stored events per attribute in segments, only when a promotion is due and the drop is set.
    private async Task<string?> SegmentBlockAsync(Experiment experiment, string winner, CancellationToken cancellationToken)
    {
        var definition = experiment.Definition;
        if (Events is null || definition.Promotion.MaxSegmentDrop is null || definition.Segments.IsDefaultOrEmpty)
        {
            return null;
        }

        if (Retention is not null && await Retention.IsPrunedAsync(experiment.Key, cancellationToken).ConfigureAwait(false))
        {
            return SegmentReader.PrunedHold(experiment.Key);
        }

        foreach (var by in definition.Segments)
        {
            if (SegmentGate.Blocking(winner, await SegmentReader.AnalyzeAsync(experiment, by, Events, cancellationToken).ConfigureAwait(false)) is [var reason, ..])
            {
                return reason;
            }
        }

        return null;
    }

    private async Task<bool> ActAsync(Experiment decided, MonitorAction action, CancellationToken cancellationToken)
    {
        var result = await actuator.ActAsync(decided, action, cancellationToken).ConfigureAwait(false);
        if (result.Change is { } change)
        {
            snapshots.Update(change.Experiment);
            LogActed(logger, decided.Key, change.Audit.ActionName, action.Variant, action.Reason);
        }
        else if (result.Dropped is { } why && action.Kind != MonitorActionKind.SrmHold)
        {
            // A hold already alerted in this stage is no news; a superseded change is worth a line.
            LogSuperseded(logger, decided.Key, action.Kind, why);
        }

        return result.Applied;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Monitor: '{Experiment}' {Action} {Variant}: {Reason}")]
    private static partial void LogActed(ILogger logger, string experiment, string action, string? variant, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Monitor: '{Experiment}' {Kind} dropped: {Why}")]
    private static partial void LogSuperseded(ILogger logger, string experiment, MonitorActionKind kind, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Monitor: '{Experiment}' would promote {Variant}, held: {Why}")]
    private static partial void LogSegmentHeld(ILogger logger, string experiment, string variant, string why);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Monitor: another check holds the lease of '{Experiment}'.")]
    private static partial void LogLeaseHeld(ILogger logger, string experiment);

    [LoggerMessage(Level = LogLevel.Error, Message = "Monitor: checking '{Experiment}' failed; the monitor carries on.")]
    private static partial void LogCheckFailed(ILogger logger, string experiment, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Monitor: a pass failed; the next tick tries again.")]
    private static partial void LogRoundFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Monitor: listing experiments failed; those running at the last listing are checked one by one, and listing is retried at the next tick.")]
    private static partial void LogListFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Monitor: '{Experiment}' is stored but cannot be read, so its guardrails are not acting; the others are still checked: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string experiment, string reason);
}
