using System.Text.Json;
using Microsoft.Extensions.Logging;
using Rampart.Core.Experiments;

namespace Rampart.Llm.Providers;

/// <summary>
/// Runs one provider's HTTP exchange under the call's timeout and turns every upstream failure into a result
/// (502 unreachable or malformed, 504 timeout) instead of an exception; only the caller's own cancellation propagates,
/// as a <see cref="CallCancelledException"/> carrying what the call had measured.
/// A stream that fails after it started ends with an error event in OpenAI's envelope, so the caller never takes a
/// truncated stream for a whole answer.
/// </summary>
internal static partial class UpstreamExchange
{
    /// <summary>The error code of the event that ends a stream broken off after it started.</summary>
    public const string StreamBrokenCode = "upstream_stream_broken";

    public static async Task<ChatCallResult> RunAsync(
        string provider,
        ChatCall call,
        IChatResponseWriter response,
        TimeProvider timeProvider,
        UpstreamLimits limits,
        ILogger logger,
        Func<UpstreamContext, Task<ChatCallResult>> exchange,
        CancellationToken cancellationToken)
    {
        var limit = call.Timeout > TimeSpan.Zero ? call.Timeout : Timeout.InfiniteTimeSpan;
        using var timeout = new CancellationTokenSource(limit, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var progress = new CallProgress(timeProvider, limits.MaxStoredOutputChars);
        ChatCallResult result;
        try
        {
            result = await exchange(new UpstreamContext(timeout, limit, progress, linked.Token, cancellationToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            result = Failed(progress, 504, $"Provider '{provider}' did not answer within {DurationText.Format(call.Timeout)}.");
        }
        catch (OperationCanceledException e) when (e is not CallCancelledException)
        {
            // The caller hung up: it still gets its cancellation, now carrying what the call had measured by then (the
            // time to first token, the text so far, the tokens), which the gateway records as the middleware does.
            LogCancelled(logger, provider, progress.ElapsedMs);
            throw new CallCancelledException(progress.Result(200, null), cancellationToken);
        }
        catch (HttpRequestException e)
        {
            // The exception's text names the upstream's address: the log gets it, the caller and the event do not.
            result = Failed(progress, 502, $"Provider '{provider}' is unreachable.") with { Detail = e.ToString() };
        }
        catch (IOException e)
        {
            result = Failed(progress, 502, $"Provider '{provider}' broke off the connection.") with { Detail = e.ToString() };
        }
        catch (JsonException e)
        {
            result = Failed(progress, 502, $"Provider '{provider}' answered with malformed JSON ({e.Message}); check that its base_url points at the right API.");
        }

        if (result.StatusCode is >= 300 and <= 399)
        {
            // Redirects are not followed (the API key must not go wherever an upstream points), so one is a failure.
            result = Failed(progress, 502, $"Provider '{provider}' answered with a redirect (HTTP {result.StatusCode}), which is not followed; set its base_url to the final address.");
        }

        if (result.Error is not null && progress.StartedStream && !progress.ErrorEventSent && !cancellationToken.IsCancellationRequested)
        {
            progress.ErrorEventSent = true;
            try
            {
                await response.WriteAsync(OpenAiWire.ErrorEvent(result.Error, "server_error", progress.ErrorCode ?? StreamBrokenCode), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The caller is gone too: there is no one left to tell, and the result still records the failure.
            }
        }

        if (result.Error is null)
        {
            LogAnswered(logger, provider, result.StatusCode, progress.ElapsedMs);
        }
        else
        {
            LogFailed(logger, provider, result.StatusCode, result.Detail ?? result.Error);
        }

        return result;
    }

    /// <summary>A failure once the answer has started keeps the status the caller already got, and reports the error beside it.</summary>
    private static ChatCallResult Failed(CallProgress progress, int statusCode, string error) =>
        progress.Result(progress.StartedStatus ?? statusCode, progress.Error ?? error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Provider '{Provider}' answered {StatusCode} in {ElapsedMs:F0} ms.")]
    private static partial void LogAnswered(ILogger logger, string provider, int statusCode, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Provider '{Provider}' call was cancelled by its caller after {ElapsedMs:F0} ms.")]
    private static partial void LogCancelled(ILogger logger, string provider, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Provider '{Provider}' call failed with {StatusCode}: {Error}")]
    private static partial void LogFailed(ILogger logger, string provider, int statusCode, string error);
}
