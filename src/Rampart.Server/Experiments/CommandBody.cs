using System.Collections.Immutable;
using Rampart.Core.Allocation;

namespace Rampart.Server.Experiments;

/// <summary>The body of a rollout command: <c>{reason?}</c>, <c>{variant, reason}</c> or <c>{weights, reason?}</c>.</summary>
/// <param name="Variant">The variant acted on.</param>
/// <param name="Reason">Why (recorded in the audit log).</param>
/// <param name="Weights">The weights to serve, in listed order.</param>
internal sealed record CommandBody(string? Variant, string? Reason, ImmutableArray<Weight>? Weights)
{
    /// <summary>The new targeting of <c>PUT …/targeting</c> (null: every unit).</summary>
    public Core.Targeting.TargetingRule? Targeting { get; init; }

    /// <summary>What <c>PUT …/shadow</c> shadows, and the shadow stage's min_duration when given.</summary>
    public (Core.Experiments.ShadowStage Shadow, TimeSpan? MinDuration)? Shadow { get; init; }
}
