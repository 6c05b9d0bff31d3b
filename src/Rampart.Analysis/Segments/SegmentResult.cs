using Rampart.Analysis.Results;

namespace Rampart.Analysis.Segments;

/// <summary>One segment: the units whose first exposure carrying the attribute gave it this value.</summary>
/// <param name="Name">The attribute's value (strings as they are, numbers and booleans as JSON writes them), <c>(none)</c> for units without it, or <c>other</c> for the pooled small segments.</param>
/// <param name="Units">Distinct units in the segment, every variant together.</param>
/// <param name="Values">For <c>other</c>, the values pooled into it; else just <see cref="Name"/>.</param>
/// <param name="Variants">Every variant, the control first, with its primary score; variants but the control also with the comparison.</param>
/// <param name="Results">The segment's full results document, as the whole experiment's (its recommendation concerns the segment alone).</param>
public sealed record SegmentResult(
    string Name,
    long Units,
    IReadOnlyList<string> Values,
    IReadOnlyList<SegmentVariantResult> Variants,
    ResultsDocument Results);
