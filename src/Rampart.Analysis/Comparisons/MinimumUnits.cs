namespace Rampart.Analysis.Comparisons;

/// <summary>
/// How many units each variant needs before the clustered (delta-method) p-value and the mSPRT p-value on it are reported.
/// Both are large-sample tests on an estimated variance; with a handful of units that variance is too small and the tests
/// "find" differences that are not there (3 units against 3 gave p = 5e-20 in an A/A file).
/// </summary>
/// <remarks>
/// Chosen by A/A simulation (<c>tests/Rampart.Analysis.Tests/Reference/min_units_simulation.py</c>, 100,000 runs per size,
/// units sending 4 requests on average): the clustered z-test rejects at α = 0.05 in 19% of runs at 3 units per variant,
/// 9–10% at 10, 6.8%/6.4% (binary/latency) at 30, 6.0%/5.6% at 50 and 5.1% at 200. 50 is the smallest size at which both
/// shapes are within about one point of α.
/// </remarks>
internal static class MinimumUnits
{
    /// <summary>Units with a value of the metric, in the control and in the variant alike.</summary>
    public const int PerVariant = 50;
}
