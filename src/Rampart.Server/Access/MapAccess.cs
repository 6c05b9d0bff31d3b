using Rampart.Core.Access;
using Rampart.Server.Api;

namespace Rampart.Server.Access;

/// <summary><c>GET /api/me</c>: the name and scope of the key the request came with (any valid key), so a client such as the dashboard can show or hide what the key may do.</summary>
public static class MapAccess
{
    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapAccessApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/me", (HttpContext context) =>
        {
            var key = AccessMiddleware.Caller(context)!;
            return ServerJson.Result(writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("name", key.Name);
                writer.WriteString("scope", key.Scope.Name());
                writer.WriteEndObject();
            });
        }).RequireScope(KeyScope.Read, KeyScope.Ingest);
        return app;
    }
}
