using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace Rampart.Llm.Tests.Fakes;

/// <summary>
/// An inner chat client that records what reached it and answers with a fixed text and usage, moving a fake clock forward
/// by <see cref="Latency"/> (streaming: <see cref="Ttft"/> before the first piece, the rest before the usage), or throws,
/// or (<see cref="Hangs"/>) waits for the caller's cancellation.
/// </summary>
public sealed class FakeChatClient(FakeTimeProvider time) : IChatClient
{
    public List<(List<ChatMessage> Messages, ChatOptions? Options)> Calls { get; } = [];

    public TimeSpan Latency { get; init; } = TimeSpan.FromMilliseconds(1234.5);

    public TimeSpan Ttft { get; init; } = TimeSpan.FromMilliseconds(310);

    public Exception? Failure { get; init; }

    /// <summary>Never finishes: waits for the caller's token after the latency (streaming: after the pieces, before the usage).</summary>
    public bool Hangs { get; init; }

    public UsageDetails Usage { get; init; } = new() { InputTokenCount = 120, OutputTokenCount = 80, TotalTokenCount = 200 };

    public string[] Pieces { get; init; } = ["Hello", ", ", "world"];

    public ChatOptions? LastOptions => Calls[^1].Options;

    public List<ChatMessage> LastMessages => Calls[^1].Messages;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls.Add(([.. messages], options));
        time.Advance(Latency);
        if (Failure is not null)
        {
            throw Failure;
        }

        if (Hangs)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        }

        return new ChatResponse(new ChatMessage(ChatRole.Assistant, string.Concat(Pieces)))
        {
            ModelId = options?.ModelId,
            Usage = Usage,
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Calls.Add(([.. messages], options));
        await Task.Yield();
        time.Advance(Ttft);
        foreach (var piece in Pieces)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, piece) { ModelId = options?.ModelId };
        }

        if (Failure is not null)
        {
            throw Failure;
        }

        if (Hangs)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        }

        time.Advance(Latency - Ttft);
        yield return new ChatResponseUpdate { Contents = [new UsageContent(Usage)], ModelId = options?.ModelId };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
