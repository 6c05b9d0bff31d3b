namespace Rampart.Analysis.Results;

/// <summary>The single most urgent action (rollback before promote before continue) and why, in plain sentences with the numbers.</summary>
/// <param name="Action">What the figures call for.</param>
/// <param name="Variant">The variant to roll back or promote; null for continue.</param>
/// <param name="Reasons">The action's headline and the two or three reasons that decide it.</param>
/// <param name="Details">
/// Everything else: each criterion met or unmet, notes, and every value that could not be computed and why. Null in documents
/// written before details existed.
/// </param>
/// <param name="Outcome">For a completed experiment, what happened (<c>Completed: variant_a promoted on 2026-12-01.</c>); null otherwise.</param>
public sealed record Recommendation(
    RecommendedAction Action,
    string? Variant,
    IReadOnlyList<string> Reasons,
    IReadOnlyList<string>? Details = null,
    string? Outcome = null);
