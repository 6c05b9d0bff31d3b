namespace Rampart.Simulation;

/// <summary>
/// A change in one variant's behaviour during a simulation: from a time into the run, or after the variant has served a
/// number of requests (whichever is given; both: whichever comes first). Values left null keep the variant's own.
/// </summary>
/// <param name="Variant">The variant that changes.</param>
/// <param name="From">Time into the run from which the fault applies, or null.</param>
/// <param name="AfterRequests">The variant's request count after which the fault applies, or null.</param>
/// <param name="ErrorRate">Its error rate from then on, or null.</param>
/// <param name="LatencyFactor">Its median latency is multiplied by this from then on, or null.</param>
public sealed record SimulatedFault(
    string Variant,
    TimeSpan? From = null,
    long? AfterRequests = null,
    double? ErrorRate = null,
    double? LatencyFactor = null)
{
    /// <summary>Whether the fault applies at <paramref name="elapsed"/> into the run, with the variant at <paramref name="requests"/> requests.</summary>
    public bool AppliesAt(TimeSpan elapsed, long requests) =>
        (From is null && AfterRequests is null)
        || (From is { } from && elapsed >= from)
        || (AfterRequests is { } after && requests >= after);
}
