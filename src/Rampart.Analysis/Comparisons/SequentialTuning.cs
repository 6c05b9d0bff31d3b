namespace Rampart.Analysis.Comparisons;

/// <summary>
/// τ, the standard deviation of the mSPRT's normal mixture, per metric: the size of difference the always-valid test is
/// most powerful for (Johari et al.). Validity holds for any τ; these pick the smallest differences worth acting on.
/// </summary>
internal static class SequentialTuning
{
    /// <summary>A binary score (satisfied or not): 2 percentage points.</summary>
    public const double BinaryScore = 0.02;

    /// <summary>The error rate: half a percentage point.</summary>
    public const double ErrorRate = 0.005;

    /// <summary>Continuous metrics (latency, cost, non-binary scores): 5% of the control's mean.</summary>
    public const double RelativeToControlMean = 0.05;
}
