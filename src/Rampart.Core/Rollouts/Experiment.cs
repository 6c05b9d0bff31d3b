using System.Collections.Immutable;
using Rampart.Core.Allocation;
using Rampart.Core.Experiments;

namespace Rampart.Core.Rollouts;

/// <summary>
/// An experiment as it stands: its definition, its state and the history of range tables it has served.
/// Immutable; every change goes through <see cref="Rollout"/>, which returns the next version and its audit entry.
/// </summary>
/// <param name="Definition">What the experiment is.</param>
/// <param name="State">Where it is in its life.</param>
/// <param name="Allocations">Every range table it has had, oldest first; the last serves.</param>
/// <param name="RolledBack">The rolled-back variants and why.</param>
/// <param name="Winner">The promoted variant, once there is one.</param>
/// <param name="Version">Increases by one with every change; stores use it to refuse a lost update.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="StageStartedAt">When the current stage began serving (for <c>min_duration</c>), or null before the start.</param>
public sealed record Experiment(
    ExperimentDefinition Definition,
    ExperimentState State,
    ImmutableArray<StageAllocation> Allocations,
    ImmutableSortedDictionary<string, string> RolledBack,
    string? Winner,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StageStartedAt)
{
    /// <summary>The experiment's key.</summary>
    public string Key => Definition.Key;

    /// <summary>The range table that serves now.</summary>
    public StageAllocation Current => Allocations[^1];

    /// <summary>The planned stage it is in (0-based); equal to the number of planned stages once a winner was promoted.</summary>
    public int Stage => Current.Stage;

    /// <summary>The weights being served, in listed order.</summary>
    public ImmutableArray<Weight> CurrentWeights => [.. Current.Table.Weights];

    /// <summary>True when <paramref name="variant"/> has been rolled back.</summary>
    public bool IsRolledBack(string variant) => RolledBack.ContainsKey(variant);

    /// <summary>A new draft experiment with the first stage's range table laid out.</summary>
    /// <exception cref="ArgumentNullException">when <paramref name="definition"/> is null.</exception>
    /// <exception cref="ArgumentException">when the first stage of <paramref name="definition"/> does not give its 1 to <see cref="AllocationTable.MaxVariants"/> variants one weight each, summing to 100% (as every definition <see cref="ExperimentDefinitionJson"/> reads does).</exception>
    public static Experiment CreateDraft(ExperimentDefinition definition, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var table = AllocationTable.Initial(definition.VariantNames, definition.Stages[0].Weights);
        return new Experiment(
            definition,
            ExperimentState.Draft,
            [new StageAllocation(0, 0, AllocationKind.Stage, table, now)],
            ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal),
            Winner: null,
            Version: 1,
            CreatedAt: now,
            StageStartedAt: null);
    }
}
