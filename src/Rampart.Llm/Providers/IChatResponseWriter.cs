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
}
