namespace Rampart.Core.Rollouts;

/// <summary>Where an experiment is in its life: <c>draft → running ⇄ paused → completed</c>.</summary>
public enum ExperimentState
{
    /// <summary>Created, not started: everyone gets the control.</summary>
    Draft,

    /// <summary>Serving its current allocation.</summary>
    Running,

    /// <summary>Stopped for now: everyone gets the control.</summary>
    Paused,

    /// <summary>Ended with a winner, which everyone gets.</summary>
    Completed,
}
