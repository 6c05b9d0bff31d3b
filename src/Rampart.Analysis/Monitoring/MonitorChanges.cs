using Rampart.Core.Rollouts;

namespace Rampart.Analysis.Monitoring;

/// <summary>Turns a monitor action into the rollout change it makes, done by <see cref="Who"/>, with the action's reason and metrics.</summary>
public static class MonitorChanges
{
    /// <summary>The name the monitor's audit entries carry.</summary>
    public const string Who = "monitor";

    /// <summary>
    /// The change <paramref name="action"/> makes to <paramref name="experiment"/>; null for an action that changes no state
    /// (<see cref="MonitorActionKind.SrmHold"/>). Throws <see cref="RolloutException"/> when the experiment's state no longer allows it.
    /// </summary>
    public static RolloutChange? Apply(Experiment experiment, MonitorAction action, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(action);
        return action.Kind switch
        {
            MonitorActionKind.Rollback => Rollout.Rollback(experiment, action.Variant!, action.Reason, now, Who, action.Metrics),
            MonitorActionKind.Advance => Rollout.Advance(experiment, now, Who, action.Reason, action.Metrics),
            MonitorActionKind.Promote => Rollout.Promote(experiment, action.Variant!, now, Who, action.Reason, action.Metrics),
            _ => null,
        };
    }
}
