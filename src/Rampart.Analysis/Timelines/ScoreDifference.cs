namespace Rampart.Analysis.Timelines;

/// <summary>
/// A variant's primary score against the control from the first event up to a point in time: the difference of means (the
/// results document's <c>diff</c> when taken at the end) and its 95% confidence sequence.
/// </summary>
/// <param name="ControlCount">Feedback values counted in the control so far.</param>
/// <param name="VariantCount">Feedback values counted in the variant so far.</param>
/// <param name="Diff">mean(variant) − mean(control), or null while either has no feedback.</param>
/// <param name="Lower">Lower end of the confidence sequence, or null while it cannot be computed.</param>
/// <param name="Upper">Upper end of the confidence sequence, or null while it cannot be computed.</param>
public sealed record ScoreDifference(long ControlCount, long VariantCount, double? Diff, double? Lower, double? Upper);
