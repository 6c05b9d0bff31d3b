using Rampart.Core.Experiments;

namespace Rampart.Core.Rollouts;

/// <summary>The variant a unit is served, and why.</summary>
/// <param name="Variant">The variant served.</param>
/// <param name="Reason">Why this variant.</param>
/// <param name="Stage">The planned stage (0-based) serving it.</param>
/// <param name="Bucket">The unit's bucket, or -1 when none was computed (not running, invalid unit).</param>
public readonly record struct Assignment(Variant Variant, AssignmentReason Reason, int Stage, int Bucket);
