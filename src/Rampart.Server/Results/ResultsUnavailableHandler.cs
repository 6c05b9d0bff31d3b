using Microsoft.AspNetCore.Diagnostics;
using Rampart.Server.Http;

namespace Rampart.Server.Results;

/// <summary>Answers a <see cref="ResultsUnavailableException"/> with 503 and its reason, as a problem naming <c>results</c>.</summary>
internal sealed class ResultsUnavailableHandler : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not ResultsUnavailableException unavailable || httpContext.Response.HasStarted)
        {
            return false;
        }

        await ApiProblems.Status(StatusCodes.Status503ServiceUnavailable, "Results are unavailable.", "results", unavailable.Message)
            .ExecuteAsync(httpContext).ConfigureAwait(false);
        return true;
    }
}
