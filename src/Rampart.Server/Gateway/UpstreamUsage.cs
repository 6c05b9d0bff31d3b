using Rampart.Core.Events;
using Rampart.Server.Telemetry;

namespace Rampart.Server.Gateway;

/// <summary>
/// Bounds what an upstream reports about a gateway call before it becomes a completion event, through Core's
/// <see cref="EventNumberRules.WithoutInvalidUsage"/>: an out-of-range token count, time to first token or cost is stored
/// as null (a cost with the tokens it came from), and each is counted in <c>rampart_upstream_usage_rejected_total{field}</c>
/// and logged as a warning.
/// </summary>
internal static partial class UpstreamUsage
{
    /// <summary><paramref name="completion"/> with its out-of-range usage set to null, each such field counted and logged.</summary>
    public static ExperimentEvent Bound(ExperimentEvent completion, ServerMetrics metrics, ILogger logger) =>
        EventNumberRules.WithoutInvalidUsage(completion, (field, value) =>
        {
            metrics.UpstreamUsageRejected(field);
            LogRejected(logger, field, completion.RequestId, completion.Experiment, completion.Variant, EventNumberRules.Format(value));
        });

    [LoggerMessage(Level = LogLevel.Warning, Message = "The upstream's '{Field}' of call {RequestId} ({Experiment}/{Variant}) is out of range ({Value}); the completion is stored with it null.")]
    private static partial void LogRejected(ILogger logger, string field, string? requestId, string experiment, string variant, string value);
}
