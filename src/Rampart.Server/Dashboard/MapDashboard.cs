using Rampart.Server.Http;

namespace Rampart.Server.Dashboard;

/// <summary>
/// The web dashboard: <c>GET /</c> serves the page and <c>GET /dashboard/{file}</c> its scripts, styles and chart library,
/// all without a key: they hold no data. Every number the page shows comes from <c>/api</c>, called with the key the user
/// signs in with (kept in the tab's sessionStorage, sent as <c>Authorization: Bearer</c>), so the server's scopes decide
/// what a key may see and do. A strict Content-Security-Policy allows only this origin's scripts and connections.
/// </summary>
public static class MapDashboard
{
    /// <summary>The policy every dashboard file is served with: nothing from elsewhere, no inline script, no framing.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>Maps the page and its files.</summary>
    public static IEndpointRouteBuilder MapDashboardPage(this IEndpointRouteBuilder app)
    {
        string[] methods = [HttpMethods.Get, HttpMethods.Head];
        app.MapMethods("/", methods, (HttpContext context) => Serve(context, "index.html")).AllowAnonymous();
        app.MapMethods("/dashboard/{*path}", methods, (HttpContext context, string path) => Serve(context, path)).AllowAnonymous();
        return app;
    }

    private static IResult Serve(HttpContext context, string path)
    {
        if (DashboardAssets.Find(path) is not { } asset)
        {
            return TypedResults.NotFound();
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        if (EntityTags.IsHeld(context.Request, asset.ETag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }
}
