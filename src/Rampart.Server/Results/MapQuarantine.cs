using System.Globalization;
using Rampart.Core.Access;
using Rampart.Core.Events;
using Rampart.Server.Access;
using Rampart.Server.Http;

namespace Rampart.Server.Results;

/// <summary>
/// <c>GET /api/events/quarantined?limit=&amp;after=</c> (an admin key): the stored events the results follower set aside
/// because they could not be aggregated, in store order, each with why; <c>next_after</c> pages on.
/// </summary>
public static class MapQuarantine
{
    /// <summary>The number of events a page holds unless <c>limit</c> says otherwise.</summary>
    public const int DefaultLimit = 100;

    /// <summary>The most events one page may hold.</summary>
    public const int MaxLimit = 1_000;

    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapQuarantineApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/events/quarantined", ListAsync).RequireScope(KeyScope.Admin);
        return app;
    }

    private static async Task<IResult> ListAsync(string? limit, string? after, IQuarantineStore store, CancellationToken cancellationToken)
    {
        var count = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxLimit))
        {
            return ApiProblems.Invalid("limit", $"'limit' must be a whole number from 1 to {MaxLimit}; got '{limit}'.");
        }

        var from = 0L;
        if (after is not null && !long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out from))
        {
            return ApiProblems.Invalid("after", $"'after' must be a position (a whole number ≥ 0) from 'next_after' of the page before; got '{after}'.");
        }

        var page = await store.ListAsync(from, count + 1, cancellationToken);
        var shown = page.Count > count ? page.Take(count).ToList() : page;
        return ServerJson.Result(writer => QuarantinedEventJson.Write(writer, shown, page.Count > count ? shown[^1].Position : null));
    }
}
