using Rampart.Core.Experiments;

namespace Rampart.Llm.Judging;

/// <summary>One successful call a judge sampled, waiting to be judged off the request path (docs/judges.md).</summary>
/// <param name="Experiment">The experiment's key.</param>
/// <param name="Variant">The variant that answered.</param>
/// <param name="Unit">The unit that was served.</param>
/// <param name="RequestId">The call's request id; the verdict refers to it.</param>
/// <param name="Stage">The stage the call was served in.</param>
/// <param name="InputJson">The caller's messages as an OpenAI <c>messages</c> array, held in memory whatever <c>logging.content</c> says.</param>
/// <param name="Output">The answer's text.</param>
/// <param name="SimulatedQuality">The simulated provider's quality of the answer, or null for a real provider.</param>
/// <param name="Judge">The judge.</param>
/// <param name="Ts">When the call was answered.</param>
public sealed record JudgeWork(
    string Experiment,
    string Variant,
    string Unit,
    string RequestId,
    int Stage,
    string? InputJson,
    string Output,
    double? SimulatedQuality,
    JudgeDefinition Judge,
    DateTimeOffset Ts)
{
    /// <summary>True when the answer is a shadow variant's (docs/shadow.md): the verdict is stored with <c>shadow: true</c>.</summary>
    public bool Shadow { get; init; }

    /// <summary>The served request id the answer pairs with (docs/shadow.md), or null when the request was not shadowed.</summary>
    public string? PairId { get; init; }

    /// <summary>
    /// For a pairwise preference (docs/shadow.md): the served answer this shadow answer (<see cref="Output"/>) is compared
    /// with; null for a rating of one answer.
    /// </summary>
    public string? Against { get; init; }

    /// <summary>The served answer's simulated quality, for the <c>sim</c> judge's preference.</summary>
    public double? AgainstQuality { get; init; }
}
