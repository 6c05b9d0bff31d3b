using System.Collections.Immutable;
using Rampart.Core.Allocation;

namespace Rampart.Core.Experiments;

/// <summary>
/// One planned stage of a rollout: every variant's weight, in listed order, and how long it runs at least. A shadow stage
/// (<see cref="Shadow"/>, docs/shadow.md) serves every unit the control (its weights say so) and calls its shadow variants
/// on a sampled share of the requests, their answers seen by nobody.
/// </summary>
/// <param name="Weights">The weights in the order the experiment lists its variants, summing to 100%.</param>
/// <param name="MinDuration">How long the stage runs before a scheduled or automatic advance, or null.</param>
public sealed record StageDefinition(ImmutableArray<Weight> Weights, TimeSpan? MinDuration = null)
{
    /// <summary>What the stage shadows, or null for a stage that serves its weights.</summary>
    public ShadowStage? Shadow { get; init; }

    /// <summary>True for a shadow stage.</summary>
    public bool IsShadow => Shadow is not null;
}
