using Rampart.Core.Access;
using Rampart.Server.Http;

namespace Rampart.Server.Access;

/// <summary>
/// Checks the key of every call to an endpoint (<c>Authorization: Bearer KEY</c>, or <c>X-Rampart-Key: KEY</c>) against
/// the endpoint's <see cref="RequiredScope"/>: 401 without a valid key, 403 with a key of the wrong scope. Endpoints
/// marked <c>AllowAnonymous</c> (<c>/healthz</c>) pass; an endpoint that declares nothing needs admin.
/// </summary>
internal sealed class AccessMiddleware(RequestDelegate next, KeyRing ring)
{
    /// <summary>The header that may carry the key instead of <c>Authorization</c>.</summary>
    public const string KeyHeader = "X-Rampart-Key";

    private const string CallerItem = "rampart.caller";
    private static readonly RequiredScope AdminOnly = new(KeyScope.Admin);

    /// <summary>The key the request came with, once the middleware let it through.</summary>
    public static AccessKey? Caller(HttpContext context) => context.Items.TryGetValue(CallerItem, out var key) ? key as AccessKey : null;

    /// <summary>The name audit entries record for the request's caller.</summary>
    public static string Who(HttpContext context) => Caller(context)?.Name ?? "anonymous";

    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null || endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var required = endpoint.Metadata.GetMetadata<RequiredScope>() ?? AdminOnly;
        var secret = Presented(context.Request);
        var key = secret is null ? null : await ring.FindAsync(secret, context.RequestAborted).ConfigureAwait(false);
        if (key is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            var message = secret is null
                ? $"'Authorization': no key given; send 'Authorization: Bearer KEY' (or '{KeyHeader}: KEY') with a key of scope {required}."
                : "'Authorization': the key is not valid; create one with `rampart keys create --scope SCOPE --name NAME`.";
            await Deny(context, StatusCodes.Status401Unauthorized, "No valid key.", message, "invalid_api_key").ConfigureAwait(false);
            return;
        }

        if (!required.IsGrantedTo(key.Scope))
        {
            await Deny(context, StatusCodes.Status403Forbidden, "The key's scope does not allow this.",
                $"'Authorization': key '{key.Name}' has scope {key.Scope.Name()}; this endpoint needs {required}.", "insufficient_scope").ConfigureAwait(false);
            return;
        }

        context.Items[CallerItem] = key;
        await next(context).ConfigureAwait(false);
    }

    private static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = authorization["Bearer ".Length..].Trim();
            return token.Length > 0 ? token : null;
        }

        var header = request.Headers[KeyHeader].ToString().Trim();
        return header.Length > 0 ? header : null;
    }

    private static Task Deny(HttpContext context, int status, string title, string message, string code)
    {
        var result = context.Request.Path.StartsWithSegments("/v1")
            ? OpenAiErrors.Result(status, message, OpenAiErrors.TypeOf(status), code, "Authorization")
            : ApiProblems.Status(status, title, "Authorization", message);
        return result.ExecuteAsync(context);
    }
}
