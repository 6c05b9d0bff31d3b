using Rampart.Llm.Providers;

namespace Rampart.Server.Gateway;

/// <summary>A provider's answer written straight to the HTTP response: status and content type once, then each piece flushed as it comes.</summary>
internal sealed class HttpChatResponseWriter(HttpResponse response) : IChatResponseWriter
{
    public bool HasStarted { get; private set; }

    public async ValueTask StartAsync(int statusCode, string contentType, CancellationToken cancellationToken)
    {
        HasStarted = true;
        response.StatusCode = statusCode;
        response.ContentType = contentType;
        if (contentType.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            response.Headers.CacheControl = "no-cache";
            response.Headers["X-Accel-Buffering"] = "no";
        }

        await response.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
