namespace Rampart.Analysis.Segments;

/// <summary>The flags a segment's variant can carry (<see cref="SegmentVariantResult.Flags"/>).</summary>
public static class SegmentFlags
{
    /// <summary>Significantly better than the control in the segment (Holm-adjusted p below alpha, difference above 0).</summary>
    public const string Better = "better";

    /// <summary>Significantly worse than the control in the segment (Holm-adjusted p below alpha, difference below 0).</summary>
    public const string Worse = "worse";

    /// <summary>Worse in the segment while significantly better overall (<c>p_value_clustered_holm</c> below alpha, difference above 0).</summary>
    public const string Harmed = "harmed";

    /// <summary>Worse in the segment by more than <c>promotion.max_segment_drop</c>: the variant is not recommended for promotion.</summary>
    public const string BlocksPromotion = "blocks_promotion";
}
