using System.Collections.Immutable;
using Rampart.Core.Allocation;

namespace Rampart.Core.Experiments;

/// <summary>One planned stage of a rollout: every variant's weight, in listed order, and how long it runs at least.</summary>
/// <param name="Weights">The weights in the order the experiment lists its variants, summing to 100%.</param>
/// <param name="MinDuration">How long the stage runs before a scheduled or automatic advance, or null.</param>
public sealed record StageDefinition(ImmutableArray<Weight> Weights, TimeSpan? MinDuration = null);
