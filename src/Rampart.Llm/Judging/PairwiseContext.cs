using Microsoft.Extensions.AI.Evaluation;

namespace Rampart.Llm.Judging;

/// <summary>
/// Asks a judge for its preference between two answers to one request (docs/shadow.md) instead of a rating of one: the
/// evaluated answer is the shadow variant's, <see cref="Other"/> the served one. The two are shown as A and B in an order
/// drawn from the pair id (<see cref="ShadowFirst"/>), so a judge that favours a position favours each side equally often.
/// The evaluator answers a metric named <c>judge_&lt;name&gt;_preference</c>: 1 shadow better, 0 served better, 0.5 a tie.
/// </summary>
public sealed class PairwiseContext : EvaluationContext
{
    /// <summary>The context's name.</summary>
    public const string ContextName = "Pairwise preference";

    /// <summary>A comparison with the served answer <paramref name="other"/> of the pair <paramref name="pairId"/>.</summary>
    public PairwiseContext(string other, double? otherQuality, string pairId, string judge)
        : base(ContextName, other)
    {
        ArgumentNullException.ThrowIfNull(other);
        ArgumentNullException.ThrowIfNull(pairId);
        ArgumentNullException.ThrowIfNull(judge);
        Other = other;
        OtherQuality = otherQuality;
        PairId = pairId;
        ShadowFirst = (JudgeSampler.Hash(pairId, judge + "/order") & 1) == 0;
    }

    /// <summary>The served answer.</summary>
    public string Other { get; }

    /// <summary>The served answer's simulated quality, or null.</summary>
    public double? OtherQuality { get; }

    /// <summary>The pair's id (the served request's).</summary>
    public string PairId { get; }

    /// <summary>True when the shadow answer is shown as A (first).</summary>
    public bool ShadowFirst { get; }

    /// <summary>The preference for the shadow answer from the judge's value for B over A (0 A better, 0.5 tie, 1 B better).</summary>
    public double ForShadow(double bOverA) => ShadowFirst ? 1 - bOverA : bOverA;
}
