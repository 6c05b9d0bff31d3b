using Rampart.Core.Allocation;
using Rampart.Core.Experiments;

namespace Rampart.Core.Rollouts;

/// <summary>
/// Assigns units for one snapshot of an experiment: one hash and one table lookup, no allocation, never throws for a
/// bad unit (it gets the control, with its reason). Build a new assigner when the experiment changes.
/// </summary>
public sealed class ExperimentAssigner
{
    private readonly BucketHasher hasher;
    private readonly AllocationTable table;
    private readonly Variant[] variants;
    private readonly Variant control;
    private readonly ExperimentState state;
    private readonly int stage;
    private readonly Targeting.TargetingRule? targeting;
    private readonly LayerMembership? layer;
    private readonly BucketHasher? layerHasher;

    /// <summary>Snapshots <paramref name="experiment"/> for assignment.</summary>
    /// <exception cref="ArgumentNullException">when <paramref name="experiment"/> is null.</exception>
    public ExperimentAssigner(Experiment experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        Experiment = experiment;
        hasher = new BucketHasher(experiment.Definition.Salt);
        table = experiment.Current.Table;
        variants = [.. experiment.Definition.Variants];
        control = variants[experiment.Definition.ControlIndex];
        state = experiment.State;
        stage = experiment.Stage;
        targeting = experiment.Definition.Targeting;
        layer = experiment.Definition.Layer;
        layerHasher = layer is null ? null : new BucketHasher(layer.Salt);
        StoredAttributes = experiment.Definition.StoredAttributes;
    }

    /// <summary>The unit attributes an exposure of this experiment stores (its targeting's and its segments'), computed once.</summary>
    public System.Collections.Immutable.ImmutableArray<string> StoredAttributes { get; }

    /// <summary>The snapshot this assigner serves.</summary>
    public Experiment Experiment { get; }

    /// <summary>The variant <paramref name="unit"/> is served, and why; a unit the experiment targets by attributes and that sends none is not targeted.</summary>
    public Assignment Assign(string? unit) => Assign(unit, Targeting.UnitAttributes.None);

    /// <summary>
    /// The variant <paramref name="unit"/> with <paramref name="attributes"/> is served, and why: a unit whose attributes do
    /// not match the experiment's targeting (docs/targeting.md) gets the control, <see cref="AssignmentReason.NotTargeted"/>.
    /// </summary>
    public Assignment Assign(string? unit, Targeting.UnitAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (string.IsNullOrEmpty(unit))
        {
            return new Assignment(control, AssignmentReason.InvalidUnit, stage, -1);
        }

        switch (state)
        {
            case ExperimentState.Draft:
                return new Assignment(control, AssignmentReason.NotStarted, stage, -1);
            case ExperimentState.Paused:
                return new Assignment(control, AssignmentReason.Paused, stage, -1);
            case ExperimentState.Running or ExperimentState.Completed when layer is not null && LayerReason(unit) is { } outside:
                return new Assignment(control, outside, stage, -1);
            case ExperimentState.Running or ExperimentState.Completed when targeting is not null && !targeting.Matches(attributes):
                return new Assignment(control, AssignmentReason.NotTargeted, stage, -1);
            default:
                var bucket = hasher.Bucket(unit);
                var variant = variants[table.OwnerOf(bucket)];
                var reason = state == ExperimentState.Completed ? AssignmentReason.Promoted
                    : table.IsRolledBack(bucket) ? AssignmentReason.RolledBack
                    : AssignmentReason.Allocated;
                return new Assignment(variant, reason, stage, bucket);
        }
    }

    // Held out of the whole layer, or in another experiment's range of it; null when the unit is this experiment's.
    private AssignmentReason? LayerReason(string unit)
    {
        var bucket = layerHasher!.Bucket(unit);
        return layer!.HoldsOut(bucket) ? AssignmentReason.HeldOut
            : layer.Contains(bucket) ? null
            : AssignmentReason.OutsideLayer;
    }
}
