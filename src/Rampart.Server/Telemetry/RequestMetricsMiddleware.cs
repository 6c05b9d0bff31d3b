namespace Rampart.Server.Telemetry;

/// <summary>Counts every answered request by route template, method and status (<see cref="RampartTelemetry.Requests"/>).</summary>
internal sealed class RequestMetricsMiddleware(RequestDelegate next, ServerMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            metrics.Request(route, context.Request.Method, context.Response.StatusCode);
        }
    }
}
