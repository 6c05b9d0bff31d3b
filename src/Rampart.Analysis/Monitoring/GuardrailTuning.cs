namespace Rampart.Analysis.Monitoring;

/// <summary>
/// How the monitor's guardrail tests spend their error budget (docs/decisions/0005-guardrail-restarts.md): half of α on a
/// test over a variant's whole history, the other half on tests restarted every <see cref="RestartEvery"/> requests, the
/// k-th of them spending (α/2)·6/(π²k²), so the false-rollback rate over every check and every restart stays ≤ α.
/// </summary>
/// <param name="Alpha">The probability of ever rolling back a variant whose rate is at or below the threshold. Default: 0.05.</param>
/// <param name="WholeHistoryShare">The share of <see cref="Alpha"/> spent on the whole-history test. Default: 0.5.</param>
/// <param name="RestartEvery">Requests of the variant between restarted tests (K). Default: 500.</param>
/// <param name="SegmentLength">Requests each restarted test runs for before it stops, in multiples of K. Default: 2.</param>
/// <param name="SlowShare">"p95 above x" means "more than this share of successful requests slower than x". Default: 0.05.</param>
public sealed record GuardrailTuning(
    double Alpha = 0.05,
    double WholeHistoryShare = 0.5,
    int RestartEvery = 500,
    int SegmentLength = 2,
    double SlowShare = 0.05)
{
    /// <summary>The defaults.</summary>
    public static GuardrailTuning Default { get; } = new();

    /// <summary>The α of the whole-history test.</summary>
    public double WholeHistoryAlpha => Alpha * WholeHistoryShare;

    /// <summary>The α of the <paramref name="k"/>-th restarted test (k ≥ 1): (α·(1 − share))·6/(π²k²); the series sums to α·(1 − share).</summary>
    public double RestartAlpha(long k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        return Alpha * (1 - WholeHistoryShare) * 6 / (Math.PI * Math.PI * k * (double)k);
    }

    /// <summary>The α of a segment: the whole-history one for index 0, else <see cref="RestartAlpha"/>.</summary>
    public double AlphaOf(GuardrailSegment segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        return segment.Index == 0 ? WholeHistoryAlpha : RestartAlpha(segment.Index);
    }
}
