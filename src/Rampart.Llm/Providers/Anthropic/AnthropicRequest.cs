using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rampart.Llm.Providers.Anthropic;

/// <summary>Translates an OpenAI chat completion request into an Anthropic Messages API request.</summary>
internal static class AnthropicRequest
{
    /// <summary>Anthropic requires <c>max_tokens</c>; this is used when the request gives none.</summary>
    public const int DefaultMaxTokens = 1024;

    private static readonly string[] Unsupported = ["tools", "tool_choice", "functions", "function_call", "n"];

    /// <summary>
    /// System and developer messages become <c>system</c>; user and assistant messages keep their text and images;
    /// <c>max_tokens</c> (or <c>max_completion_tokens</c>, else 1024), <c>temperature</c>, <c>top_p</c>, <c>top_k</c>,
    /// <c>stop</c> (as <c>stop_sequences</c>), <c>user</c> (as <c>metadata.user_id</c>) carry over; anything else is dropped
    /// because Anthropic refuses fields it does not know. False, with the reason, for what cannot be translated.
    /// </summary>
    public static bool TryTranslate(JsonObject body, bool stream, [NotNullWhen(true)] out JsonObject? request, [NotNullWhen(false)] out string? problem)
    {
        request = null;
        problem = null;
        if (Unsupported.FirstOrDefault(name => body[name] is not null && !(name == "n" && IsOne(body[name]))) is { } field)
        {
            problem = $"The Anthropic provider translates text and image chat only; remove '{field}' from the request.";
            return false;
        }

        var system = new StringBuilder();
        var messages = new JsonArray();
        if (body["messages"] is not JsonArray input)
        {
            problem = "The request has no 'messages' array.";
            return false;
        }

        foreach (var (message, index) in input.Select((m, i) => (m, i)))
        {
            var role = JsonReading.String(message?["role"]);
            var content = message?["content"];
            switch (role)
            {
                case "system" or "developer":
                    if (!TryText(content, out var text))
                    {
                        problem = $"messages[{index}] is a {role} message whose content is not text.";
                        return false;
                    }

                    system.Append(system.Length > 0 ? "\n\n" : "").Append(text);
                    break;
                case "user" or "assistant":
                    if (message?["tool_calls"] is not null || !TryContent(content, out var translated, out problem))
                    {
                        problem = $"messages[{index}]: {problem ?? "tool calls are not translated for Anthropic"}.";
                        return false;
                    }

                    messages.Add(new JsonObject { ["role"] = role, ["content"] = translated });
                    break;
                default:
                    problem = $"messages[{index}] has role '{role}', which the Anthropic provider does not translate (system, developer, user, assistant).";
                    return false;
            }
        }

        request = new JsonObject { ["model"] = body["model"]?.DeepClone() };
        if (system.Length > 0)
        {
            request["system"] = system.ToString();
        }

        request["messages"] = messages;
        request["max_tokens"] = (body["max_tokens"] ?? body["max_completion_tokens"])?.DeepClone() ?? DefaultMaxTokens;
        Copy(body, "temperature", request);
        Copy(body, "top_p", request);
        Copy(body, "top_k", request);
        switch (body["stop"])
        {
            case JsonValue stop when JsonReading.String(stop) is { } sequence:
                request["stop_sequences"] = new JsonArray(sequence);
                break;
            case JsonArray stops:
                request["stop_sequences"] = stops.DeepClone();
                break;
        }

        if (JsonReading.String(body["user"]) is { } user)
        {
            request["metadata"] = new JsonObject { ["user_id"] = user };
        }

        if (stream)
        {
            request["stream"] = true;
        }

        return true;
    }

    private static bool IsOne(JsonNode? node) => node is JsonValue value && value.TryGetValue<int>(out var n) && n == 1;

    private static void Copy(JsonObject from, string name, JsonObject to)
    {
        if (from[name] is { } value && value.GetValueKind() != JsonValueKind.Null)
        {
            to[name] = value.DeepClone();
        }
    }

    private static bool TryText(JsonNode? content, [NotNullWhen(true)] out string? text)
    {
        text = JsonReading.String(content);
        if (text is not null)
        {
            return true;
        }

        if (content is not JsonArray parts || parts.Any(p => JsonReading.String(p?["type"]) != "text"))
        {
            return false;
        }

        text = string.Join("\n", parts.Select(p => JsonReading.String(p?["text"]) ?? ""));
        return true;
    }

    private static bool TryContent(JsonNode? content, [NotNullWhen(true)] out JsonNode? translated, out string? problem)
    {
        problem = null;
        translated = null;
        if (JsonReading.String(content) is { } text)
        {
            translated = text;
            return true;
        }

        if (content is not JsonArray parts)
        {
            problem = "its content is neither text nor a list of parts";
            return false;
        }

        var blocks = new JsonArray();
        foreach (var part in parts)
        {
            switch (JsonReading.String(part?["type"]))
            {
                case "text":
                    blocks.Add(new JsonObject { ["type"] = "text", ["text"] = JsonReading.String(part?["text"]) ?? "" });
                    break;
                case "image_url" when JsonReading.String(part?["image_url"]?["url"]) is { } url:
                    blocks.Add(new JsonObject { ["type"] = "image", ["source"] = ImageSource(url) });
                    break;
                case var type:
                    problem = $"content part type '{type}' is not translated for Anthropic (text, image_url)";
                    return false;
            }
        }

        translated = blocks;
        return true;
    }

    /// <summary>A <c>data:</c> URL becomes a base64 source, anything else a URL source.</summary>
    private static JsonObject ImageSource(string url)
    {
        const string Marker = ";base64,";
        var marker = url.IndexOf(Marker, StringComparison.Ordinal);
        if (url.StartsWith("data:", StringComparison.Ordinal) && marker > 5)
        {
            return new JsonObject
            {
                ["type"] = "base64",
                ["media_type"] = url[5..marker],
                ["data"] = url[(marker + Marker.Length)..],
            };
        }

        return new JsonObject { ["type"] = "url", ["url"] = url };
    }
}
