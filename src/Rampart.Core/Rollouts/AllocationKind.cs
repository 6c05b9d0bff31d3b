namespace Rampart.Core.Rollouts;

/// <summary>Why an allocation (a range table in the experiment's history) was made.</summary>
public enum AllocationKind
{
    /// <summary>A planned stage's weights.</summary>
    Stage,

    /// <summary>Weights set by hand.</summary>
    Custom,

    /// <summary>A rollback gave a variant's buckets to the control.</summary>
    Rollback,

    /// <summary>A promotion gave every bucket to the winner.</summary>
    Promotion,
}
