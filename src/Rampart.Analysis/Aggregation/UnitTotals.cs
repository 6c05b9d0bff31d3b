namespace Rampart.Analysis.Aggregation;

/// <summary>One unit's totals within a variant: the per-unit sums the delta method needs.</summary>
internal struct UnitTotals
{
    /// <summary>Whether the unit has an exposure in this variant.</summary>
    public bool Exposed;

    /// <summary>Completions.</summary>
    public long Requests;

    /// <summary>Failed completions.</summary>
    public long Errors;

    /// <summary>Successful completions.</summary>
    public long Successes;

    /// <summary>Latency summed over successful completions.</summary>
    public double LatencySum;

    /// <summary>Completions with a cost.</summary>
    public long Costed;

    /// <summary>Cost summed over completions with a cost.</summary>
    public double CostSum;

    public void Merge(in UnitTotals other)
    {
        Exposed |= other.Exposed;
        Requests += other.Requests;
        Errors += other.Errors;
        Successes += other.Successes;
        LatencySum += other.LatencySum;
        Costed += other.Costed;
        CostSum += other.CostSum;
    }
}
