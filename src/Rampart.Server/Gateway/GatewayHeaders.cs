namespace Rampart.Server.Gateway;

/// <summary>The gateway's request and response headers.</summary>
public static class GatewayHeaders
{
    /// <summary>Request: the experiment (instead of <c>model: "experiment:KEY"</c>); response: the experiment served.</summary>
    public const string Experiment = "X-Rampart-Experiment";

    /// <summary>Request: the unit (instead of the body's <c>user</c>).</summary>
    public const string Unit = "X-Rampart-Unit";

    /// <summary>Request: the unit's attributes as a JSON object (docs/targeting.md), merged over the body's <c>metadata</c>.</summary>
    public const string Attributes = "X-Rampart-Attributes";

    /// <summary>Response: the variant served.</summary>
    public const string Variant = "X-Rampart-Variant";

    /// <summary>
    /// Response: why the unit got its variant (<c>allocated</c>, <c>rolled_back</c>, <c>promoted</c>, <c>not_started</c>,
    /// <c>paused</c>); a <c>not_started</c> or <c>paused</c> call is served the control and not recorded.
    /// </summary>
    public const string Assignment = "X-Rampart-Assignment";

    /// <summary>Response: the call's request id, for <c>/api/feedback</c>.</summary>
    public const string RequestId = "X-Rampart-Request-Id";

    /// <summary>The <c>model</c> prefix that names an experiment.</summary>
    public const string ModelPrefix = "experiment:";
}
