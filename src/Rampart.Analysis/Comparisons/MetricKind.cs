namespace Rampart.Analysis.Comparisons;

/// <summary>Which tests a metric gets (DESIGN §4).</summary>
internal enum MetricKind
{
    /// <summary>A rate of 0/1 outcomes: pooled two-proportion z-test, Wald interval.</summary>
    Proportion,

    /// <summary>Any other value: Welch's t-test and interval.</summary>
    Continuous,
}
