namespace Rampart.Llm.Providers;

/// <summary>A response writer for calls whose answer nobody reads as it comes (a judge's, a shadow variant's): the result carries the text.</summary>
internal sealed class DiscardingResponseWriter : IChatResponseWriter
{
    public static DiscardingResponseWriter Instance { get; } = new();

    public bool HasStarted => false;

    public ValueTask StartAsync(int statusCode, string contentType, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
