using System.Text;
using System.Text.Json;

namespace Rampart.Llm.Providers.Anthropic;

/// <summary>Translates Anthropic's answers into OpenAI's format.</summary>
internal static class AnthropicAnswer
{
    /// <summary>OpenAI's <c>finish_reason</c> for Anthropic's <c>stop_reason</c>.</summary>
    public static string? FinishReason(string? stopReason) => stopReason switch
    {
        null => null,
        "max_tokens" => "length",
        "tool_use" => "tool_calls",
        "refusal" => "content_filter",
        _ => "stop",
    };

    /// <summary>A whole Messages API answer as a <c>chat.completion</c>; throws <see cref="JsonException"/> when it is not a JSON object.</summary>
    public static byte[] ToCompletion(ReadOnlyMemory<byte> json, long created, CallProgress progress)
    {
        using var document = JsonReading.ParseObject(json);
        var message = document.RootElement;
        var text = new StringBuilder();
        if (JsonReading.Property(message, "content", JsonValueKind.Array) is { } blocks)
        {
            foreach (var block in blocks.EnumerateArray().Where(b => JsonReading.String(b, "type") == "text"))
            {
                text.Append(JsonReading.String(block, "text"));
            }
        }

        progress.Model = JsonReading.String(message, "model") ?? progress.Model;
        ReadUsage(message, progress);
        progress.SetOutput(text.ToString());
        return OpenAiWire.Completion(
            JsonReading.String(message, "id") ?? "msg",
            created,
            progress.Model ?? "",
            text.ToString(),
            FinishReason(JsonReading.String(message, "stop_reason")),
            progress.PromptTokens ?? 0,
            progress.CompletionTokens ?? 0);
    }

    /// <summary>
    /// Reads <c>usage</c> where present: prompt tokens are input plus cache writes and reads (what OpenAI's <c>prompt_tokens</c>
    /// counts), completion tokens the output (cumulative in a stream's <c>message_delta</c>).
    /// </summary>
    public static void ReadUsage(JsonElement holder, CallProgress progress)
    {
        if (JsonReading.Property(holder, "usage", JsonValueKind.Object) is not { } usage)
        {
            return;
        }

        if (JsonReading.Tokens(usage, "input_tokens", progress, "prompt_tokens") is { } input)
        {
            var written = JsonReading.Tokens(usage, "cache_creation_input_tokens", progress, "prompt_tokens") ?? 0;
            var read = JsonReading.Tokens(usage, "cache_read_input_tokens", progress, "prompt_tokens") ?? 0;
            try
            {
                progress.PromptTokens = checked(input + written + read);
            }
            catch (OverflowException)
            {
                // Wrapped around, the sum could read as a plausible count: it is unusable instead, like any part beyond range.
                progress.Unusable("prompt_tokens", ((double)input + written + read).ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        progress.CompletionTokens = JsonReading.Tokens(usage, "output_tokens", progress, "completion_tokens") ?? progress.CompletionTokens;
    }
}
