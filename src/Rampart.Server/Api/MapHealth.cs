using Rampart.Core.Access;
using Rampart.Server.Access;
using Rampart.Server.Events;
using Rampart.Server.Results;

namespace Rampart.Server.Api;

/// <summary>
/// <c>GET /healthz</c> (no key needed; <c>results</c> says whether the events stored before the start have all been read
/// yet) and <c>GET /metrics</c> (Prometheus text; a read key).
/// </summary>
public static class MapHealth
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapOpsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", (EventQueue queue, EventFollower follower) => ServerJson.Result(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("status", queue.IsClosed ? "stopping" : "ok");
            writer.WriteString("results", follower.IsCaughtUp ? "ready" : "catching_up");
            writer.WriteNumber("queue_depth", queue.Depth);
            writer.WriteNumber("queue_capacity", queue.Capacity);
            writer.WriteEndObject();
        })).AllowAnonymous();
        app.MapPrometheusScrapingEndpoint("/metrics").RequireScope(KeyScope.Read);
        return app;
    }
}
