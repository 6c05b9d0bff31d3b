using Rampart.Core.Access;
using Rampart.Server.Http;

namespace Rampart.Server.Access;

/// <summary>
/// <c>GET /api/me</c>: the name and scope of the key the request came with (any valid key), so a client such as the
/// dashboard can show or hide what the key may do. <c>POST /api/keys/{name}/revoke</c> (admin): revokes a key on every
/// server within about a second.
/// </summary>
public static class MapAccess
{
    /// <summary>Maps the endpoints.</summary>
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
        app.MapPost("/api/keys/{name}/revoke", RevokeAsync).RequireScope(KeyScope.Admin);
        return app;
    }

    private static async Task<IResult> RevokeAsync(string name, IKeyStore store, KeyRing ring, CancellationToken cancellationToken)
    {
        var keys = await store.ListAsync(cancellationToken);
        var key = keys.FirstOrDefault(k => k.Name == name);
        if (key is null)
        {
            return ApiProblems.Status(StatusCodes.Status404NotFound, "No such key.", "name",
                $"'name': no key is named '{name}'; check the name the key was created with.");
        }

        if (key.Scope == KeyScope.Admin && keys.Count(k => k.Scope == KeyScope.Admin) == 1)
        {
            return ApiProblems.Status(StatusCodes.Status409Conflict, "The last admin key.", "name",
                $"'name': '{name}' is the only admin key; create another admin key first (`rampart keys create --scope admin --name NAME`).");
        }

        if (!await store.RevokeAsync(name, cancellationToken))
        {
            return ApiProblems.Status(StatusCodes.Status404NotFound, "No such key.", "name", $"'name': key '{name}' was revoked meanwhile.");
        }

        ring.Remove(name);
        return ServerJson.Result(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("name", name);
            writer.WriteString("scope", key.Scope.Name());
            writer.WriteBoolean("revoked", true);
            writer.WriteEndObject();
        });
    }
}
