namespace Rampart.Analysis.Monitoring;

/// <summary>
/// The outcome of one check: the actions due now (rollbacks first; if any is due, nothing else), and notes on what
/// is still pending (for logs and the demo's progress lines).
/// </summary>
/// <param name="Actions">The actions due, most urgent first; empty when there is nothing to do.</param>
/// <param name="Notes">What holds things back, in words.</param>
public sealed record MonitorDecision(IReadOnlyList<MonitorAction> Actions, IReadOnlyList<string> Notes)
{
    /// <summary>Nothing to do.</summary>
    public static MonitorDecision None(IReadOnlyList<string> notes) => new([], notes);
}
