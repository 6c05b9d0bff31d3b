namespace Rampart.Core.Experiments;

/// <summary>
/// How far a score may fall below the control's (docs/experiment-format.md): under <c>guardrails.min_score</c>, a variant
/// whose score is established below the control's by more than <see cref="MaxDrop"/> is rolled back; under
/// <c>promotion.min_score</c>, a variant is promoted only once its score is established above the control's minus
/// <see cref="MaxDrop"/> (non-inferiority).
/// </summary>
/// <param name="MaxDrop">The largest drop tolerated, in the score's units (0–1 for a judge's score), &gt; 0.</param>
public sealed record ScoreFloor(double MaxDrop)
{
    /// <summary>No floors: the one empty map every option record shares, so records without floors compare equal.</summary>
    public static System.Collections.Immutable.ImmutableSortedDictionary<string, ScoreFloor> None { get; } =
        System.Collections.Immutable.ImmutableSortedDictionary<string, ScoreFloor>.Empty.WithComparers(StringComparer.Ordinal);
}
