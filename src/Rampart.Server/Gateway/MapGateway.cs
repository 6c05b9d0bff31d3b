using Rampart.Core.Access;
using Rampart.Server.Access;

namespace Rampart.Server.Gateway;

/// <summary>
/// The OpenAI-compatible gateway (an ingest key): <c>POST /v1/chat/completions</c>, <c>GET /v1/models</c> (the running
/// experiments as <c>experiment:KEY</c>), and OpenAI's error envelope for every other <c>/v1/…</c> path.
/// </summary>
public static class MapGateway
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapGatewayApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/chat/completions", (HttpContext context, ChatGateway gateway) => gateway.HandleAsync(context)).RequireScope(KeyScope.Ingest);
        app.MapGet("/v1/models", GatewayModels.ListAsync).RequireScope(KeyScope.Ingest);
        app.MapGet("/v1/models/{**model}", GatewayModels.FindAsync).RequireScope(KeyScope.Ingest);
        app.MapFallback("/v1/{**path}", GatewayModels.Unknown).RequireScope(KeyScope.Ingest);
        return app;
    }
}
