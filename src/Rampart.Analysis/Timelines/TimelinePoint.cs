namespace Rampart.Analysis.Timelines;

/// <summary>One window of a <see cref="Timeline"/>.</summary>
/// <param name="End">The end of the window: the differences are of every event up to here.</param>
/// <param name="Traffic">Per variant, the exposures in this window alone (completions when the experiment has no exposures).</param>
/// <param name="Differences">Per variant other than the control, the primary score against the control so far.</param>
public sealed record TimelinePoint(DateTimeOffset End, IReadOnlyDictionary<string, long> Traffic, IReadOnlyDictionary<string, ScoreDifference> Differences);
