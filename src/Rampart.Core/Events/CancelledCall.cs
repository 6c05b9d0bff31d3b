namespace Rampart.Core.Events;

/// <summary>
/// A completion whose client disconnected before the answer was complete has the <c>error</c> <c>"cancelled"</c>. It
/// says nothing about the variant (the client left, the variant did not fail), so the analysis and the guardrails count
/// it neither as a request nor as an error, and its partial latency is left out: an attacker who hangs up cannot
/// trigger a rollback.
/// </summary>
public static class CancelledCall
{
    /// <summary>The <c>error</c> of a cancelled completion.</summary>
    public const string Error = "cancelled";

    /// <summary>The same as the JSON string token (quotes included) the event line holds.</summary>
    public static ReadOnlySpan<byte> ErrorToken => "\"cancelled\""u8;

    /// <summary>True for a completion the client cancelled.</summary>
    /// <exception cref="ArgumentNullException">when <paramref name="e"/> is null.</exception>
    public static bool Is(ExperimentEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Type == EventType.Completion && e.Error == Error;
    }
}
