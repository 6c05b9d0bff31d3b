using Rampart.Core.Audit;
using Rampart.Core.Rollouts;

namespace Rampart.Simulation;

/// <summary>The outcome of a simulated rollout.</summary>
/// <param name="Experiment">The experiment as it ended.</param>
/// <param name="Actions">Every action the monitor took, in order (sample-ratio holds included).</param>
/// <param name="Audit">The audit entries of the state changes, in order.</param>
/// <param name="Requests">Requests served, by variant.</param>
/// <param name="Elapsed">Simulated time run.</param>
public sealed record SimulationResult(
    Experiment Experiment,
    IReadOnlyList<SimulatedAction> Actions,
    IReadOnlyList<AuditEntry> Audit,
    IReadOnlyDictionary<string, long> Requests,
    TimeSpan Elapsed)
{
    /// <summary>The first rollback, or null.</summary>
    public SimulatedAction? FirstRollback => Actions.FirstOrDefault(a => a.Action.Kind == Analysis.Monitoring.MonitorActionKind.Rollback);

    /// <summary>The promotion, or null.</summary>
    public SimulatedAction? Promotion => Actions.FirstOrDefault(a => a.Action.Kind == Analysis.Monitoring.MonitorActionKind.Promote);
}
