using Rampart.Analysis.Results;

namespace Rampart.Analysis.Segments;

/// <summary>
/// Per-segment results (docs/targeting.md, Per-segment results): the experiment's units split by the value of one stored attribute,
/// each segment analysed as an experiment of its own, the primary score's p-values Holm-adjusted across segments per variant.
/// </summary>
/// <param name="Experiment">The experiment's key.</param>
/// <param name="By">The attribute the units are split by.</param>
/// <param name="Control">The control variant's name.</param>
/// <param name="PrimaryScore">The score compared.</param>
/// <param name="Alpha">The significance level the flags use (<c>promotion.alpha</c>).</param>
/// <param name="MinSegmentUnits">Segments with fewer units are pooled into <c>other</c>.</param>
/// <param name="MaxSegmentDrop"><c>promotion.max_segment_drop</c>, or null when segments never block a promotion.</param>
/// <param name="Overall">Per variant (not the control), the whole experiment's primary-score comparison.</param>
/// <param name="Segments">The segments, largest first; <c>other</c>, when there is one, last.</param>
/// <param name="Warnings">Simpson's paradox and any other caution about reading the segments, as sentences.</param>
/// <param name="Recommendation">The whole experiment's recommendation, with a promotion blocked by a harmed segment (<c>promotion.max_segment_drop</c>).</param>
public sealed record SegmentedResults(
    string Experiment,
    string By,
    string Control,
    string PrimaryScore,
    double Alpha,
    long MinSegmentUnits,
    double? MaxSegmentDrop,
    IReadOnlyList<SegmentVariantResult> Overall,
    IReadOnlyList<SegmentResult> Segments,
    IReadOnlyList<string> Warnings,
    Recommendation Recommendation);
