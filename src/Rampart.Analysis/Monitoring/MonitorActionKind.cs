namespace Rampart.Analysis.Monitoring;

/// <summary>What the monitor does, most urgent first.</summary>
public enum MonitorActionKind
{
    /// <summary>A guardrail is breached: the variant's traffic goes to the control.</summary>
    Rollback,

    /// <summary>The current stage's split is not the configured one: promotion and advance wait, and people are told.</summary>
    SrmHold,

    /// <summary>The last stage ran its course and a variant meets every promotion criterion (auto mode): it takes all traffic.</summary>
    Promote,

    /// <summary>The stage ran its course (and, in auto mode, a variant meets the promotion criteria): move to the next stage.</summary>
    Advance,
}
