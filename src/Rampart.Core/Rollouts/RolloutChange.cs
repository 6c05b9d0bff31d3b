using Rampart.Core.Audit;

namespace Rampart.Core.Rollouts;

/// <summary>The outcome of a rollout command: the experiment's next version and the audit entry that records it.</summary>
/// <param name="Experiment">The experiment after the change.</param>
/// <param name="Audit">What changed, who changed it and why.</param>
public sealed record RolloutChange(Experiment Experiment, AuditEntry Audit);
