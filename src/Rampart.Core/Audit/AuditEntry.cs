using System.Collections.Immutable;

namespace Rampart.Core.Audit;

/// <summary>One state change of an experiment: when, who, what, why, and the metrics that justified it.</summary>
/// <param name="Experiment">The experiment's key.</param>
/// <param name="Ts">When the change was made.</param>
/// <param name="Who">A key's name, <c>cli</c>, or <c>monitor</c>.</param>
/// <param name="Action">What was done.</param>
/// <param name="Variant">The variant acted on (rollback, promote), or null.</param>
/// <param name="Reason">Why, in words.</param>
/// <param name="Metrics">The figures behind the decision (may be empty).</param>
public sealed record AuditEntry(
    string Experiment,
    DateTimeOffset Ts,
    string Who,
    AuditAction Action,
    string? Variant,
    string Reason,
    ImmutableSortedDictionary<string, double> Metrics)
{
    /// <summary>The action's name as the audit API writes it (<c>rollback</c>).</summary>
    public string ActionName => Action.ToString().ToLowerInvariant();
}
