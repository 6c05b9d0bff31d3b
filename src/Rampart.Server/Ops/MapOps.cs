using Rampart.Core.Access;
using Rampart.Server.Access;
using Rampart.Server.Events;
using Rampart.Server.Health;
using Rampart.Server.Http;
using Rampart.Server.Results;

namespace Rampart.Server.Ops;

/// <summary>
/// <c>GET /healthz</c> (no key needed; <c>results</c> says whether the events stored before the start have all been read
/// yet) and <c>GET /metrics</c> (Prometheus text; a read key).
/// </summary>
/// <remarks>
/// The status code of <c>/healthz</c> is for load balancers: 503 while the server is stopping or refuses calls that record
/// events (the store fails and the local journal is full: send traffic elsewhere), else 200, also while degraded by
/// results, the monitor or a store outage the journal rides out (the gateway still serves and keeps every call's events;
/// taking the server out of rotation would mend nothing).
/// </remarks>
public static class MapOps
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapOpsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", (EventQueue queue, EventFollower follower, ServerHealth health) => ServerJson.Result(writer =>
        {
            var problems = health.Problems;
            writer.WriteStartObject();
            writer.WriteString("status", queue.IsClosed ? "stopping" : problems.Count > 0 ? "degraded" : "ok");
            writer.WriteStartArray("reasons");
            foreach (var (problem, reason) in problems)
            {
                writer.WriteStartObject();
                writer.WriteString("problem", System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(problem.ToString()));
                writer.WriteString("reason", reason);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("results", follower.IsCaughtUp ? "ready" : "catching_up");
            writer.WriteNumber("queue_depth", queue.Depth);
            writer.WriteNumber("queue_capacity", queue.Capacity);
            writer.WriteEndObject();
        }, StatusCode(queue))).AllowAnonymous();
        app.MapPrometheusScrapingEndpoint("/metrics").RequireScope(KeyScope.Read);
        return app;
    }

    private static int StatusCode(EventQueue queue) =>
        queue.IsClosed || queue.IsRefusing ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
}
