using System.Text.Json;

namespace Rampart.Llm.Providers.OpenAi;

/// <summary>Reads what a completion event needs from OpenAI-format answers, whole or streamed, without changing a byte of them.</summary>
internal static class OpenAiAnswer
{
    /// <summary>Reads a whole <c>chat.completion</c>; throws <see cref="JsonException"/> when it is not a JSON object.</summary>
    public static void Read(ReadOnlyMemory<byte> json, CallProgress progress)
    {
        using var document = JsonReading.ParseObject(json);
        var root = document.RootElement;
        progress.Model = JsonReading.String(root, "model") ?? progress.Model;
        ReadUsage(root, progress);
        if (JsonReading.Property(root, "choices", JsonValueKind.Array) is { } choices && choices.GetArrayLength() > 0
            && JsonReading.Property(choices[0], "message", JsonValueKind.Object) is { } message)
        {
            progress.SetOutput(JsonReading.String(message, "content"));
        }
    }

    /// <summary>
    /// Reads one line of a <c>chat.completion.chunk</c> stream; false for a malformed chunk, which is noted as the call's
    /// error, never thrown.
    /// </summary>
    public static bool ReadStreamLine(ReadOnlySpan<byte> line, CallProgress progress, string provider)
    {
        if (!SseLineBuffer.TryGetData(line, out var data))
        {
            return true;
        }

        if (data.SequenceEqual("[DONE]"u8))
        {
            progress.StreamFinished = true;
            return true;
        }

        try
        {
            var reader = new Utf8JsonReader(data);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException($"expected a JSON object, got {root.ValueKind}");
            }

            ReadChunk(root, progress);
            return true;
        }
        catch (JsonException e)
        {
            progress.Error ??= $"Provider '{provider}' sent a malformed stream chunk ({e.Message}).";
            return false;
        }
    }

    private static void ReadChunk(JsonElement root, CallProgress progress)
    {
        progress.Model = JsonReading.String(root, "model") ?? progress.Model;
        ReadUsage(root, progress);
        if (JsonReading.Property(root, "error", JsonValueKind.Object) is { } error)
        {
            progress.Error ??= JsonReading.String(error, "message") ?? "The upstream sent an error in its stream.";
            progress.ErrorEventSent = true; // relayed as it came: the caller needs no second one
        }

        if (JsonReading.Property(root, "choices", JsonValueKind.Array) is not { } choices)
        {
            return;
        }

        foreach (var choice in choices.EnumerateArray())
        {
            if (JsonReading.String(choice, "finish_reason") is not null)
            {
                progress.StreamFinished = true;
            }

            if (JsonReading.Property(choice, "delta", JsonValueKind.Object) is not { } delta)
            {
                continue;
            }

            progress.AddContent(JsonReading.String(delta, "content"));
            if (JsonReading.Property(delta, "tool_calls", JsonValueKind.Array) is not null || !string.IsNullOrEmpty(JsonReading.String(delta, "refusal")))
            {
                progress.MarkFirstToken();
            }
        }
    }

    private static void ReadUsage(JsonElement root, CallProgress progress)
    {
        if (JsonReading.Property(root, "usage", JsonValueKind.Object) is { } usage)
        {
            progress.PromptTokens = JsonReading.Tokens(usage, "prompt_tokens", progress, "prompt_tokens") ?? progress.PromptTokens;
            progress.CompletionTokens = JsonReading.Tokens(usage, "completion_tokens", progress, "completion_tokens") ?? progress.CompletionTokens;
        }
    }
}
