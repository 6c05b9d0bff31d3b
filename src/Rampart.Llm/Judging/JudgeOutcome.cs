using Rampart.Core.Events;

namespace Rampart.Llm.Judging;

/// <summary>How a judgement ended (docs/judges.md: what is counted).</summary>
public enum JudgeOutcomeKind
{
    /// <summary>The judge gave a rating; <see cref="JudgeOutcome.Feedback"/> carries it.</summary>
    Verdict,

    /// <summary>The judge had spent its <c>max_cost_usd_per_day</c>; nothing was called.</summary>
    BudgetSpent,

    /// <summary>The judge failed: an error, a timeout, or an unreadable or out-of-scale rating.</summary>
    Failed,
}

/// <summary>What judging one call gave.</summary>
/// <param name="Kind">How it ended.</param>
/// <param name="Feedback">The feedback event of a verdict, else null.</param>
/// <param name="CostUsd">What the judge call cost, when known (a failed call may have cost too).</param>
/// <param name="Error">Why it failed, in words, else null.</param>
public sealed record JudgeOutcome(JudgeOutcomeKind Kind, ExperimentEvent? Feedback, double? CostUsd, string? Error);
