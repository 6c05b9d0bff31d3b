using Rampart.Core.Access;
using Rampart.Server.Access;

namespace Rampart.Server.Gateway;

/// <summary><c>POST /v1/chat/completions</c>: the OpenAI-compatible gateway (an ingest key).</summary>
public static class MapGateway
{
    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapGatewayApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/chat/completions", (HttpContext context, ChatGateway gateway) => gateway.HandleAsync(context)).RequireScope(KeyScope.Ingest);
        return app;
    }
}
