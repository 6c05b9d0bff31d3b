namespace Rampart.Analysis.Aggregation;

/// <summary>The per-request metrics whose per-unit sums feed the delta method.</summary>
public enum UnitMetric
{
    /// <summary>Failed completions over completions.</summary>
    ErrorRate,

    /// <summary>Latency over successful completions.</summary>
    Latency,

    /// <summary>Cost over completions with a cost.</summary>
    Cost,
}
