using Rampart.Stats.Hypothesis;

namespace Rampart.Analysis.Decisions;

/// <summary>A score floor's comparison: the means, counts, the clustered difference and its always-valid interval.</summary>
/// <param name="ControlMean">The control's mean score.</param>
/// <param name="VariantMean">The variant's mean score.</param>
/// <param name="ControlCount">Scores counted in the control.</param>
/// <param name="VariantCount">Scores counted in the variant.</param>
/// <param name="Difference">Variant − control (delta method over units).</param>
/// <param name="Interval">The always-valid 95% interval of the difference, or null with <see cref="Reason"/>.</param>
/// <param name="Reason">Why no interval was computed.</param>
public sealed record ScoreFloorResult(
    double? ControlMean, double? VariantMean, long ControlCount, long VariantCount, double? Difference, ConfidenceInterval? Interval, string? Reason)
{
    /// <summary>True when the variant is established below the control by more than <paramref name="maxDrop"/>.</summary>
    public bool EstablishedBelow(double maxDrop) => Interval is { } i && i.Upper < -maxDrop;

    /// <summary>True when the variant is established no worse than <paramref name="maxDrop"/> below the control.</summary>
    public bool EstablishedWithin(double maxDrop) => Interval is { } i && i.Lower > -maxDrop;
}
