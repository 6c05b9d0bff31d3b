using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rampart.Llm.Providers;

/// <summary>Lenient reads of optional fields: a missing field or one of the wrong kind reads as null.</summary>
internal static class JsonReading
{
    public static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>
    /// A token count: a number that fits an Int64 (a negative one too: the recorder refuses it by the event rules); any other
    /// value (1e308, 120.5, "120") is noted on <paramref name="progress"/> as unusable under <paramref name="field"/> and reads
    /// as null. A missing field or a JSON null reads as null.
    /// </summary>
    public static long? Tokens(JsonElement element, string name, CallProgress progress, string field)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            return number;
        }

        // A number's text is digits; any other value is named only by its kind, as it could echo the API key into the log.
        progress.Unusable(field, value.ValueKind == JsonValueKind.Number ? value.GetRawText() : $"a JSON {value.ValueKind.ToString().ToLowerInvariant()}");
        return null;
    }

    public static JsonElement? Property(JsonElement element, string name, JsonValueKind kind) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == kind ? value : null;

    public static string? String(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static bool IsTrue(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.True;

    /// <summary>The root of <paramref name="json"/>, which must be a JSON object; throws <see cref="JsonException"/> otherwise.</summary>
    public static JsonDocument ParseObject(ReadOnlyMemory<byte> json)
    {
        var document = JsonDocument.Parse(json);
        var kind = document.RootElement.ValueKind;
        if (kind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new JsonException($"expected a JSON object, got {kind}");
        }

        return document;
    }
}
