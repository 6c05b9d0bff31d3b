namespace Rampart.Core.Audit;

/// <summary>What a state change did (docs/api.md: <c>create, start, pause, advance, stage, rollback, promote, complete, target, shadow</c>).</summary>
public enum AuditAction
{
    /// <summary>The experiment was created.</summary>
    Create,

    /// <summary>The experiment started (or resumed).</summary>
    Start,

    /// <summary>The experiment was paused: everyone gets the control.</summary>
    Pause,

    /// <summary>The experiment moved to its next planned stage.</summary>
    Advance,

    /// <summary>The weights were set by hand.</summary>
    Stage,

    /// <summary>A variant was rolled back: its traffic goes to the control.</summary>
    Rollback,

    /// <summary>A variant was promoted: it takes all traffic.</summary>
    Promote,

    /// <summary>The experiment ended.</summary>
    Complete,

    /// <summary>The experiment's targeting was changed (docs/targeting.md).</summary>
    Target,

    /// <summary>What the shadow stage calls was set (docs/shadow.md).</summary>
    Shadow,
}
