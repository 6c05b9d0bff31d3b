using Rampart.Llm.Providers;

namespace Rampart.Server.Gateway;

/// <summary>
/// A provider's answer written straight to the HTTP response: status and content type once, then each piece flushed as it
/// comes; a whole answer with its Content-Length, in one write.
/// </summary>
internal sealed class HttpChatResponseWriter(HttpResponse response) : IChatResponseWriter
{
    public bool HasStarted { get; private set; }

    public async ValueTask StartAsync(int statusCode, string contentType, CancellationToken cancellationToken)
    {
        Start(statusCode, contentType);
        await response.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    // With its length known, headers and body go out together in one write, and no chunked encoding needs a last chunk.
    public async ValueTask WriteAnswerAsync(int statusCode, string contentType, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        Start(statusCode, contentType);
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Start(int statusCode, string contentType)
    {
        HasStarted = true;
        response.StatusCode = statusCode;
        response.ContentType = contentType;
        if (contentType.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            response.Headers.CacheControl = "no-cache";
            response.Headers["X-Accel-Buffering"] = "no";
        }
    }
}
