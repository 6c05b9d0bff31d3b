using Rampart.Core.Rollouts;

namespace Rampart.Analysis.Monitoring;

/// <summary>What <see cref="RolloutActuator"/> did with one monitor action.</summary>
/// <param name="Action">The action as decided.</param>
/// <param name="Change">The stored change it made (with its audit entry), or null: a sample-ratio hold changes no state, a dropped action nothing.</param>
/// <param name="Dropped">Why the action was not carried out (no longer due, not possible, already alerted in this stage), or null when it was.</param>
public sealed record ActuationResult(MonitorAction Action, RolloutChange? Change, string? Dropped)
{
    /// <summary>True when the action was carried out: its change stored, or its hold alerted.</summary>
    public bool Applied => Dropped is null;
}
