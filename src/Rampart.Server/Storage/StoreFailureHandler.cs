using System.Data.Common;
using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using Rampart.Server.Events;
using Rampart.Server.Http;

namespace Rampart.Server.Storage;

/// <summary>
/// Answers 503 with <c>Retry-After</c> (not 500) when a request fails because the store did: a SQLite or PostgreSQL error
/// (a locked, full or unreadable file, a database that is down), a timeout waiting for it, or its file's I/O. The
/// control plane and results get problem details, <c>/v1/…</c> OpenAI's envelope; the exception goes to the log.
/// </summary>
internal sealed partial class StoreFailureHandler(IOptions<EventOptions> settings, ILogger<StoreFailureHandler> logger) : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsStoreFailure(exception) || httpContext.Response.HasStarted)
        {
            return false;
        }

        LogStoreFailed(logger, httpContext.Request.Method, httpContext.Request.Path.Value ?? "", exception);
        var seconds = settings.Value.RetryAfterSeconds;
        httpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var message = $"The store is unavailable; the request was not carried out. Retry after {seconds} s.";
        var result = httpContext.Request.Path.StartsWithSegments("/v1")
            ? OpenAiErrors.Result(StatusCodes.Status503ServiceUnavailable, message, "server_error", "store_unavailable")
            : ApiProblems.Status(StatusCodes.Status503ServiceUnavailable, "The store is unavailable.", "store", message);
        await result.ExecuteAsync(httpContext).ConfigureAwait(false);
        return true;
    }

    /// <summary>True when <paramref name="exception"/> (or one it wraps) is the store's failure rather than a defect.</summary>
    public static bool IsStoreFailure(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException or TimeoutException or (IOException and not BadHttpRequestException))
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The store failed during {Method} {Path}; answered 503.")]
    private static partial void LogStoreFailed(ILogger logger, string method, string path, Exception error);
}
