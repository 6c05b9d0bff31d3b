namespace Rampart.Analysis.Results;

/// <summary>Latency of successful completions in milliseconds; each value null when there are none.</summary>
/// <param name="Mean">Arithmetic mean.</param>
/// <param name="P50">Median (type 7 exact from a file, within 1% from a sketch).</param>
/// <param name="P95">95th percentile.</param>
/// <param name="P99">99th percentile.</param>
public sealed record LatencyResult(double? Mean, double? P50, double? P95, double? P99);
