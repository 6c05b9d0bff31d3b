using System.Collections.Immutable;

namespace Rampart.Analysis.Monitoring;

/// <summary>One action the monitor should take, with the reason and the figures that justify it (for the audit entry and the alert).</summary>
/// <param name="Kind">What to do.</param>
/// <param name="Variant">The variant concerned (rollback, promote), or null.</param>
/// <param name="Reason">Why, in one sentence with the numbers.</param>
/// <param name="Metrics">The figures behind it, by snake_case name.</param>
public sealed record MonitorAction(
    MonitorActionKind Kind,
    string? Variant,
    string Reason,
    ImmutableSortedDictionary<string, double> Metrics);
