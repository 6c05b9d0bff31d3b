namespace Rampart.Server.Health;

/// <summary>A way the server can be degraded (<see cref="ServerHealth"/>); its snake_case name is what <c>/healthz</c> shows.</summary>
public enum HealthProblem
{
    /// <summary>Results cannot follow the stored events (a read keeps failing).</summary>
    ResultsStuck,

    /// <summary>The rollout monitor's checks keep failing, so guardrails may not act.</summary>
    MonitorFailing,

    /// <summary>Events cannot be written to the store (they are held in the journal, or refused).</summary>
    EventsNotWritten,
}
