using System.Text.Json;

namespace Rampart.Llm.Providers.Anthropic;

/// <summary>
/// Turns Anthropic's stream events into OpenAI <c>chat.completion.chunk</c> events as they arrive: <c>message_start</c> gives
/// the role chunk, each <c>text_delta</c> a content chunk, <c>message_delta</c> the finish reason, <c>message_stop</c> the
/// usage chunk and <c>[DONE]</c>; an <c>error</c> event becomes OpenAI's error envelope and ends the stream.
/// </summary>
internal sealed class AnthropicStreamTranslator(string provider, long created, CallProgress progress)
{
    private string id = "msg";

    /// <summary>True once the stream has ended (<c>message_stop</c> or <c>error</c>).</summary>
    public bool Finished { get; private set; }

    /// <summary>Translates one line, adding the OpenAI events it yields to <paramref name="output"/>.</summary>
    public void Translate(ReadOnlySpan<byte> line, List<byte[]> output)
    {
        if (Finished || !SseLineBuffer.TryGetData(line, out var data))
        {
            return;
        }

        try
        {
            var reader = new Utf8JsonReader(data);
            using var document = JsonDocument.ParseValue(ref reader);
            Translate(document.RootElement, output);
        }
        catch (JsonException e)
        {
            progress.Error ??= $"Provider '{provider}' sent a malformed stream event ({e.Message}).";
        }
    }

    private void Translate(JsonElement root, List<byte[]> output)
    {
        switch (JsonReading.String(root, "type"))
        {
            case "message_start" when JsonReading.Property(root, "message", JsonValueKind.Object) is { } message:
                id = JsonReading.String(message, "id") ?? id;
                progress.Model = JsonReading.String(message, "model") ?? progress.Model;
                AnthropicAnswer.ReadUsage(message, progress);
                output.Add(OpenAiWire.Chunk(id, created, Model, "assistant", "", null));
                break;
            case "content_block_delta" when JsonReading.Property(root, "delta", JsonValueKind.Object) is { } delta
                && JsonReading.String(delta, "type") == "text_delta":
                var text = JsonReading.String(delta, "text") ?? "";
                progress.AddContent(text);
                output.Add(OpenAiWire.Chunk(id, created, Model, null, text, null));
                break;
            case "message_delta":
                AnthropicAnswer.ReadUsage(root, progress);
                var stopReason = JsonReading.Property(root, "delta", JsonValueKind.Object) is { } messageDelta
                    ? JsonReading.String(messageDelta, "stop_reason")
                    : null;
                output.Add(OpenAiWire.Chunk(id, created, Model, null, null, AnthropicAnswer.FinishReason(stopReason) ?? "stop"));
                break;
            case "message_stop":
                output.Add(OpenAiWire.UsageChunk(id, created, Model, progress.PromptTokens ?? 0, progress.CompletionTokens ?? 0));
                output.Add(OpenAiWire.Done.ToArray());
                Finished = true;
                break;
            case "error":
                var error = JsonReading.Property(root, "error", JsonValueKind.Object);
                var reason = (error is { } e ? JsonReading.String(e, "message") : null) ?? "The upstream sent an error in its stream.";
                progress.Error ??= reason;
                output.Add(OpenAiWire.ErrorEvent(reason, (error is { } t ? JsonReading.String(t, "type") : null) ?? "api_error"));
                progress.ErrorEventSent = true;
                Finished = true;
                break;
        }
    }

    private string Model => progress.Model ?? "";
}
