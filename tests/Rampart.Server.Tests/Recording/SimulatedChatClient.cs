using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Rampart.Llm.Providers;
using Rampart.Llm.Providers.Simulated;

namespace Rampart.Server.Tests.Recording;

/// <summary>
/// An inner chat client answering as the real <see cref="SimulatedProvider"/> answers (seed 0, the given <c>params.sim</c>),
/// streaming its text after its drawn time to first token and its usage after its drawn latency, on a fake clock.
/// </summary>
public sealed class SimulatedChatClient(FakeTimeProvider time, SimulationOptions sim) : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The recording tests stream.");

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var call = new ChatCall(new JsonObject { ["model"] = options?.ModelId }, Stream: true, Timeout.InfiniteTimeSpan, 0, sim);
        var result = await new SimulatedProvider(timeProvider: time).SendAsync(call, new DiscardingWriter(), cancellationToken);
        time.Advance(TimeSpan.FromMilliseconds(result.TtftMs!.Value));
        yield return new ChatResponseUpdate(ChatRole.Assistant, result.Output) { ModelId = result.Model };
        time.Advance(TimeSpan.FromMilliseconds(result.SimulatedLatencyMs!.Value - result.TtftMs.Value));
        yield return new ChatResponseUpdate
        {
            ModelId = result.Model,
            Contents = [new UsageContent(new UsageDetails { InputTokenCount = result.PromptTokens, OutputTokenCount = result.CompletionTokens })],
        };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    private sealed class DiscardingWriter : IChatResponseWriter
    {
        public bool HasStarted { get; private set; }

        public ValueTask StartAsync(int statusCode, string contentType, CancellationToken cancellationToken)
        {
            HasStarted = true;
            return ValueTask.CompletedTask;
        }

        public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
