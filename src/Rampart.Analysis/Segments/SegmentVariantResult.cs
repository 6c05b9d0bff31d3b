namespace Rampart.Analysis.Segments;

/// <summary>One variant's primary score in a segment (or overall) and, for a variant other than the control, how it compares.</summary>
/// <param name="Name">The variant.</param>
/// <param name="Units">Its units in the segment.</param>
/// <param name="Score">Its primary score's mean; null without feedback.</param>
/// <param name="N">Primary-score values counted.</param>
/// <param name="Diff">mean_v − mean_c; null for the control or without values in either.</param>
/// <param name="PValue">The per-unit (delta-method) p-value, <c>p_value_clustered</c> of the results document; null for the control or below its minimum units.</param>
/// <param name="PValueHolm">
/// In a segment, <see cref="PValue"/> Holm-adjusted across the segments (for this variant); overall, Holm-adjusted across the variants
/// (<c>p_value_clustered_holm</c>).
/// </param>
/// <param name="Flags">What stands out: <c>better</c>, <c>worse</c> (significant after adjustment), <c>harmed</c> (worse here while significantly better overall), <c>blocks_promotion</c>.</param>
public sealed record SegmentVariantResult(
    string Name,
    long Units,
    double? Score,
    long N,
    double? Diff,
    double? PValue,
    double? PValueHolm,
    IReadOnlyList<string> Flags);
