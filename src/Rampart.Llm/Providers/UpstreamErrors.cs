using System.Text;
using System.Text.Json;

namespace Rampart.Llm.Providers;

/// <summary>Finds the message in an upstream's error answer, whichever of the usual shapes it has.</summary>
internal static class UpstreamErrors
{
    private const int MaxTextLength = 500;

    /// <summary>
    /// <c>error.message</c> (OpenAI, Anthropic), <c>error</c> as a string, <c>message</c> (vLLM) or <c>detail</c>; otherwise
    /// the body's text, shortened; otherwise the status in words.
    /// </summary>
    public static string Message(ReadOnlyMemory<byte> body, int statusCode)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var message = JsonReading.Property(root, "error", JsonValueKind.Object) is { } error ? JsonReading.String(error, "message") : null;
            message ??= JsonReading.String(root, "error") ?? JsonReading.String(root, "message") ?? JsonReading.String(root, "detail");
            if (!string.IsNullOrWhiteSpace(message))
            {
                return message;
            }
        }
        catch (JsonException)
        {
            // Not JSON (an HTML error page from a proxy): fall back to its text.
        }

        var text = Encoding.UTF8.GetString(body.Span).Trim();
        if (text.Length == 0)
        {
            return $"The upstream answered {statusCode} with no body.";
        }

        return text.Length <= MaxTextLength ? text : string.Concat(text.AsSpan(0, MaxTextLength), "…");
    }
}
