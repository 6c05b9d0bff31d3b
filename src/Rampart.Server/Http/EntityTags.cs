using System.IO.Hashing;
using Microsoft.Net.Http.Headers;

namespace Rampart.Server.Http;

/// <summary>
/// Conditional GETs for answers that rarely change but may be large (an experiment's definition may take megabytes, and
/// every in-process client re-reads its experiments every few seconds; the dashboard's assets): the answer carries a
/// strong <c>ETag</c>, a hash of its bytes, and a request whose <c>If-None-Match</c> names it gets a 304 without the body.
/// </summary>
internal static class EntityTags
{
    /// <summary>The strong entity tag of <paramref name="body"/>: a hash of its bytes, quoted.</summary>
    public static string Of(ReadOnlySpan<byte> body) => $"\"{Convert.ToHexStringLower(XxHash128.Hash(body))}\"";

    /// <summary>True when the request's <c>If-None-Match</c> holds <paramref name="tag"/> (or <c>*</c>): it has the answer already.</summary>
    public static bool IsHeld(HttpRequest request, string tag)
    {
        var held = request.GetTypedHeaders().IfNoneMatch;
        if (held.Count == 0)
        {
            return false;
        }

        var mine = new EntityTagHeaderValue(tag);
        return held.Any(h => h.Equals(EntityTagHeaderValue.Any) || h.Compare(mine, useStrongComparison: false));
    }

    /// <summary><paramref name="body"/> as a 200 with its <c>ETag</c>, or a 304 when the request already holds it.</summary>
    public static IResult Result(HttpContext context, byte[] body)
    {
        var tag = Of(body);
        context.Response.Headers.ETag = tag;
        return IsHeld(context.Request, tag)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : new JsonBytesResult(body, StatusCodes.Status200OK);
    }
}
