namespace Rampart.Core.Experiments;

/// <summary>How an experiment moves from one stage to the next.</summary>
public enum AdvanceMode
{
    /// <summary>Only by hand (CLI, API or dashboard).</summary>
    Manual,

    /// <summary>When the stage's <c>min_duration</c> has elapsed.</summary>
    Scheduled,

    /// <summary>When <c>min_duration</c> has elapsed and the promotion criteria hold.</summary>
    Auto,
}
