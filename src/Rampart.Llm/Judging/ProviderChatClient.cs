using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Rampart.Llm.Providers;

namespace Rampart.Llm.Judging;

/// <summary>
/// An <see cref="IChatClient"/> over a configured <see cref="IChatProvider"/>, so a judge model is called with the provider's
/// keys, base URL and timeout whatever its type (OpenAI-compatible, Anthropic, a fake upstream on loopback). It sends the
/// messages as text, <see cref="ChatOptions.ModelId"/>, <see cref="ChatOptions.Temperature"/> and a JSON-schema
/// <see cref="ChatOptions.ResponseFormat"/> as OpenAI's <c>response_format</c>; a failed call throws <see cref="InvalidOperationException"/>.
/// </summary>
public sealed class ProviderChatClient : IChatClient
{
    private readonly RegisteredProvider provider;

    /// <summary>A client calling <paramref name="provider"/>.</summary>
    public ProviderChatClient(RegisteredProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        this.provider = provider;
    }

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var body = new JsonObject { ["model"] = options?.ModelId, ["messages"] = Recording.ExperimentCallRecorder.Messages(messages) };
        if (options?.Temperature is { } temperature)
        {
            body["temperature"] = temperature;
        }

        if (options?.ResponseFormat is ChatResponseFormatJson { Schema: { } schema } json)
        {
            body["response_format"] = new JsonObject
            {
                ["type"] = "json_schema",
                ["json_schema"] = new JsonObject { ["name"] = json.SchemaName ?? "answer", ["schema"] = JsonNode.Parse(schema.GetRawText()), ["strict"] = true },
            };
        }

        var result = await provider.Provider.SendAsync(new ChatCall(body, Stream: false, provider.Timeout), DiscardingResponseWriter.Instance, cancellationToken).ConfigureAwait(false);
        if (result.Error is not null || result.StatusCode >= 400)
        {
            throw new InvalidOperationException($"Provider '{provider.Name}' answered {result.StatusCode}: {result.Error}");
        }

        return new ChatResponse(new ChatMessage(ChatRole.Assistant, result.Output ?? ""))
        {
            ModelId = result.Model,
            Usage = new UsageDetails { InputTokenCount = result.PromptTokens, OutputTokenCount = result.CompletionTokens },
        };
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType?.IsInstanceOfType(this) == true ? this : null;

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
