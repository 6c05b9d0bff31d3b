using System.IO.Hashing;
using Microsoft.Net.Http.Headers;

namespace Rampart.Server.Http;

/// <summary>
/// Conditional GETs for answers that rarely change but may be large (an experiment's definition may take megabytes, and
/// every in-process client re-reads its experiments every few seconds): the answer carries a strong <c>ETag</c>, a hash
/// of its bytes, and a request whose <c>If-None-Match</c> names it gets a 304 without the body.
/// </summary>
internal static class EntityTags
{
    /// <summary><paramref name="body"/> as a 200 with its <c>ETag</c>, or a 304 when the request already holds it.</summary>
    public static IResult Result(HttpContext context, byte[] body)
    {
        var tag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(XxHash128.Hash(body))}\"");
        context.Response.Headers.ETag = tag.ToString();
        var held = context.Request.GetTypedHeaders().IfNoneMatch;
        return held.Any(h => h.Equals(EntityTagHeaderValue.Any) || h.Compare(tag, useStrongComparison: false))
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : new JsonBytesResult(body, StatusCodes.Status200OK);
    }
}
