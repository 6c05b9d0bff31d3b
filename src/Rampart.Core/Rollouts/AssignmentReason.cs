namespace Rampart.Core.Rollouts;

/// <summary>Why a unit got the variant it got.</summary>
public enum AssignmentReason
{
    /// <summary>The unit's bucket belongs to the variant in the current stage.</summary>
    Allocated,

    /// <summary>The unit gets the control because a rollback handed its bucket over.</summary>
    RolledBack,

    /// <summary>A winner was promoted and takes everyone.</summary>
    Promoted,

    /// <summary>The experiment is a draft: everyone gets the control.</summary>
    NotStarted,

    /// <summary>The experiment is paused: everyone gets the control.</summary>
    Paused,

    /// <summary>The unit was empty: it gets the control.</summary>
    InvalidUnit,

    /// <summary>The unit is held out of every experiment of the experiment's layer: it gets the control and is not counted.</summary>
    HeldOut,

    /// <summary>The unit belongs to another experiment's range of the layer: it gets the control and is not counted.</summary>
    OutsideLayer,

    /// <summary>The unit's attributes do not match the experiment's targeting: it gets the control and is not counted.</summary>
    NotTargeted,
}
