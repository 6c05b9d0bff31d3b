namespace Rampart.Analysis.Results;

/// <summary>The single most urgent action (rollback before promote before continue) and why, in plain sentences with the numbers.</summary>
/// <param name="Action">What to do.</param>
/// <param name="Variant">The variant to roll back or promote; null for continue.</param>
/// <param name="Reasons">Why, followed by any value that could not be computed and why.</param>
public sealed record Recommendation(RecommendedAction Action, string? Variant, IReadOnlyList<string> Reasons);
