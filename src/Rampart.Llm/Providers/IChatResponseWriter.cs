namespace Rampart.Llm.Providers;

/// <summary>The caller's side of a call: the status and content type once, then the body in pieces, each sent on at once.</summary>
public interface IChatResponseWriter
{
    /// <summary>True once <see cref="StartAsync"/> has been called.</summary>
    bool HasStarted { get; }

    /// <summary>Sends the status code and content type (<c>application/json</c> or <c>text/event-stream</c>).</summary>
    ValueTask StartAsync(int statusCode, string contentType, CancellationToken cancellationToken);

    /// <summary>Sends a piece of the body and flushes it.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>
    /// Sends a whole answer at once: the status code, the content type and <paramref name="body"/>. Its length is known
    /// before the first byte, so a writer can announce it (an HTTP <c>Content-Length</c>) and send headers and body
    /// together; by default it is <see cref="StartAsync"/> then <see cref="WriteAsync"/>.
    /// </summary>
    async ValueTask WriteAnswerAsync(int statusCode, string contentType, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        await StartAsync(statusCode, contentType, cancellationToken).ConfigureAwait(false);
        await WriteAsync(body, cancellationToken).ConfigureAwait(false);
    }
}
