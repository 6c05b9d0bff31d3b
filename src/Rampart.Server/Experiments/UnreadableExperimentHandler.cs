using Microsoft.AspNetCore.Diagnostics;
using Rampart.Core.Rollouts;
using Rampart.Server.Http;

namespace Rampart.Server.Experiments;

/// <summary>
/// Answers a request about a stored experiment that cannot be read (<see cref="UnreadableExperimentException"/>) with 500
/// and why, as a problem naming <c>key</c> (OpenAI's envelope under <c>/v1</c>), rather than a 500 that says nothing.
/// </summary>
internal sealed partial class UnreadableExperimentHandler(ILogger<UnreadableExperimentHandler> logger) : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not UnreadableExperimentException unreadable || httpContext.Response.HasStarted)
        {
            return false;
        }

        LogUnreadable(logger, httpContext.Request.Method, httpContext.Request.Path.Value ?? "", unreadable.Message);
        var result = httpContext.Request.Path.StartsWithSegments("/v1")
            ? OpenAiErrors.Result(StatusCodes.Status500InternalServerError, unreadable.Message, "server_error", "experiment_unreadable")
            : ApiProblems.Status(StatusCodes.Status500InternalServerError, "The experiment cannot be read from the store.", "key", unreadable.Message);
        await result.ExecuteAsync(httpContext).ConfigureAwait(false);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path}: {Why}")]
    private static partial void LogUnreadable(ILogger logger, string method, string path, string why);
}
