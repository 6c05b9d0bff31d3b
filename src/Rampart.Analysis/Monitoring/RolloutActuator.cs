using System.Collections.Concurrent;
using Rampart.Core.Alerts;
using Rampart.Core.Rollouts;

namespace Rampart.Analysis.Monitoring;

/// <summary>
/// Carries out the monitor's actions (docs/rollouts.md) for every host that runs one: the server's monitor, a simulation
/// kept in a store, the demo. A rollback, advance or promotion goes through <see cref="RolloutCommands"/> as
/// <see cref="MonitorChanges.Who"/>, with an audit entry holding the metrics behind it; it is decided again on the
/// experiment as stored then, so after a concurrent change an action no longer due is dropped rather than applied twice.
/// Rollbacks, promotions and sample-ratio holds raise an alert; a hold alerts once per stage, not at every check.
/// </summary>
public sealed class RolloutActuator
{
    private readonly RolloutCommands commands;
    private readonly Func<Experiment, DateTimeOffset, MonitorDecision> decide;
    private readonly IAlertSink alerts;
    private readonly TimeProvider time;
    private readonly ConcurrentDictionary<string, int> srmAlerted = new(StringComparer.Ordinal);

    /// <summary>Sets up an actuator over <paramref name="store"/>.</summary>
    /// <param name="store">Where the experiments live.</param>
    /// <param name="decide">What the monitor decides for an experiment at a time (used again on the stored state before acting).</param>
    /// <param name="alerts">Where the alerts go.</param>
    /// <param name="time">The clock of audit entries, stage starts and alerts (simulated time in a simulation).</param>
    public RolloutActuator(IExperimentStore store, Func<Experiment, DateTimeOffset, MonitorDecision> decide, IAlertSink alerts, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(decide);
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(time);
        commands = new RolloutCommands(store, time);
        this.decide = decide;
        this.alerts = alerts;
        this.time = time;
    }

    /// <summary>
    /// Carries out <paramref name="action"/>, decided on <paramref name="decided"/>; returns what was done. A store failure
    /// propagates, and so does an <see cref="ExperimentConflictException"/> when other writers got there first on every
    /// attempt (the action is still due, only not stored); an action superseded by a concurrent change is dropped
    /// (<see cref="ActuationResult.Dropped"/>).
    /// </summary>
    public async Task<ActuationResult> ActAsync(Experiment decided, MonitorAction action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decided);
        ArgumentNullException.ThrowIfNull(action);
        if (action.Kind == MonitorActionKind.SrmHold)
        {
            return Hold(decided, action);
        }

        var applied = action;
        try
        {
            var change = await commands.ApplyAsync(decided.Key, (current, now) =>
            {
                applied = Redecide(current, action, now);
                return MonitorChanges.Apply(current, applied, now) ?? throw new MonitorSupersededException($"{action.Kind} changes no state.");
            }, cancellationToken).ConfigureAwait(false);
            if (action.Kind == MonitorActionKind.Rollback)
            {
                Alert(decided.Key, "rollback", applied, $"Rampart: rolled back '{applied.Variant}' of '{decided.Key}': {applied.Reason}");
            }
            else if (action.Kind == MonitorActionKind.Promote)
            {
                Alert(decided.Key, "promote", applied, $"Rampart: promoted '{applied.Variant}' of '{decided.Key}': {applied.Reason}");
            }

            return new ActuationResult(action, change, null);
        }
        catch (Exception e) when (e is MonitorSupersededException or (RolloutException and not ExperimentConflictException))
        {
            return new ActuationResult(action, null, e.Message);
        }
    }

    // One alert per stage served, not one at every check.
    private ActuationResult Hold(Experiment decided, MonitorAction action)
    {
        var stage = decided.Allocations.Length;
        if (srmAlerted.TryGetValue(decided.Key, out var alerted) && alerted == stage)
        {
            return new ActuationResult(action, null, $"'{decided.Key}' was already alerted of its sample-ratio mismatch in this stage.");
        }

        srmAlerted[decided.Key] = stage;
        Alert(decided.Key, "srm", action, $"Rampart: '{decided.Key}' holds promotion and advance: {action.Reason}");
        return new ActuationResult(action, null, null);
    }

    // Called with the experiment as stored now (again after a conflict): act only if the same action is still due.
    private MonitorAction Redecide(Experiment current, MonitorAction action, DateTimeOffset now) =>
        decide(current, now).Actions.FirstOrDefault(a => a.Kind == action.Kind && a.Variant == action.Variant)
            ?? throw new MonitorSupersededException($"'{current.Key}' changed (version {current.Version}); {action.Kind} {action.Variant} is no longer due.");

    private void Alert(string experiment, string kind, MonitorAction action, string text) =>
        alerts.Send(new Alert(experiment, time.GetUtcNow(), kind, action.Variant, text, action.Metrics));
}
