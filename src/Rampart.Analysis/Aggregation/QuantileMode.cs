namespace Rampart.Analysis.Aggregation;

/// <summary>How an aggregate keeps latencies for their quantiles.</summary>
public enum QuantileMode
{
    /// <summary>Every latency is kept: quantiles are exact (type 7). For files and verification.</summary>
    Exact,

    /// <summary>A relative-error sketch (1%) in constant memory: for aggregates kept incrementally by the server.</summary>
    Sketch,
}
