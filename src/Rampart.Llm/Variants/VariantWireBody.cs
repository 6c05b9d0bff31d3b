using System.Text.Json;
using System.Text.Json.Nodes;
using Rampart.Core.Experiments;
using Rampart.Llm.Providers;
using Rampart.Llm.Providers.Simulated;

namespace Rampart.Llm.Variants;

/// <summary>
/// Writes the body an OpenAI-compatible upstream is sent for a variant in one pass over the caller's parsed body: the same
/// bytes as serialising <see cref="VariantRequest.Apply"/>'s body after the wire's stream settings
/// (<c>OpenAiCompatibleProvider.WireBody</c>), without copying the caller's tree to change it (docs/decisions/0017).
/// Each field keeps its place; a field the variant adds comes after the caller's, in the order <c>Apply</c> adds it.
/// </summary>
internal static class VariantWireBody
{
    private const string Messages = "messages";
    private const string Stream = "stream";
    private const string StreamOptions = "stream_options";
    private const string IncludeUsage = "include_usage";
    private const string MaxCompletionTokens = "max_completion_tokens";

    /// <summary>
    /// False when the variant's params replace <c>messages</c> or <c>stream_options</c> (fields whose value this pass
    /// rewrites from the caller's) or name a field twice; such a call is written from <see cref="VariantRequest.Apply"/>'s
    /// copy instead.
    /// </summary>
    public static bool Handles(VariantConfig variant)
    {
        ArgumentNullException.ThrowIfNull(variant);
        if (variant.Params is not { ValueKind: JsonValueKind.Object } parameters)
        {
            return true;
        }

        var index = 0;
        foreach (var field in parameters.EnumerateObject())
        {
            if (field.NameEquals(Messages) || field.NameEquals(StreamOptions) || CountBefore(parameters, field.Name, index++) > 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Writes the wire body of <paramref name="variant"/> on <paramref name="body"/>; <paramref name="stream"/> as the call streams.</summary>
    public static void Write(Utf8JsonWriter writer, JsonObject body, VariantConfig variant, bool stream)
    {
        var dropStream = !stream && JsonReading.IsTrue(body[Stream]);
        var maxTokensName = body.ContainsKey(MaxCompletionTokens) || InParams(variant, MaxCompletionTokens) ? MaxCompletionTokens : "max_tokens";
        writer.WriteStartObject();
        foreach (var (name, value) in body)
        {
            if (dropStream && name is Stream or StreamOptions)
            {
                continue;
            }

            writer.WritePropertyName(name);
            WriteValue(writer, name, value, variant, stream, maxTokensName);
        }

        // What Apply adds, in its order: the params, then model, temperature, top_p, the token limit and messages; then
        // the stream settings the wire adds. A name is written once, where it was first added, with its last value.
        // (Handles has refused params that name a field twice.)
        if (variant.Params is { ValueKind: JsonValueKind.Object } parameters)
        {
            foreach (var field in parameters.EnumerateObject())
            {
                if (IsParam(field.Name) && !body.ContainsKey(field.Name))
                {
                    Add(writer, field.Name, body, variant, stream, maxTokensName);
                }
            }
        }

        AddIfNew(writer, "model", body, variant, stream, maxTokensName);
        if (variant.Temperature is not null)
        {
            AddIfNew(writer, "temperature", body, variant, stream, maxTokensName);
        }

        if (variant.TopP is not null)
        {
            AddIfNew(writer, "top_p", body, variant, stream, maxTokensName);
        }

        if (variant.MaxTokens is not null)
        {
            AddIfNew(writer, maxTokensName, body, variant, stream, maxTokensName);
        }

        if (variant.SystemPrompt is not null)
        {
            AddIfNew(writer, Messages, body, variant, stream, maxTokensName);
        }

        if (stream)
        {
            AddIfNew(writer, Stream, body, variant, stream, maxTokensName);
            AddIfNew(writer, StreamOptions, body, variant, stream, maxTokensName);
        }

        writer.WriteEndObject();
    }

    private static void AddIfNew(Utf8JsonWriter writer, string name, JsonObject body, VariantConfig variant, bool stream, string maxTokensName)
    {
        if (!body.ContainsKey(name) && !InParams(variant, name))
        {
            Add(writer, name, body, variant, stream, maxTokensName);
        }
    }

    private static void Add(Utf8JsonWriter writer, string name, JsonObject body, VariantConfig variant, bool stream, string maxTokensName)
    {
        writer.WritePropertyName(name);
        WriteValue(writer, name, null, variant, stream, maxTokensName);
    }

    // The field's last value: the wire's stream settings over the variant's fields over its params over the caller's.
    private static void WriteValue(Utf8JsonWriter writer, string name, JsonNode? callers, VariantConfig variant, bool stream, string maxTokensName)
    {
        if (stream && name == Stream)
        {
            writer.WriteBooleanValue(true);
        }
        else if (stream && name == StreamOptions)
        {
            WriteStreamOptions(writer, callers as JsonObject);
        }
        else if (name == Messages && variant.SystemPrompt is { } systemPrompt)
        {
            WriteMessages(writer, callers as JsonArray, systemPrompt);
        }
        else if (name == maxTokensName && variant.MaxTokens is { } maxTokens)
        {
            writer.WriteNumberValue(maxTokens);
        }
        else if (name == "top_p" && variant.TopP is { } topP)
        {
            writer.WriteNumberValue(topP);
        }
        else if (name == "temperature" && variant.Temperature is { } temperature)
        {
            writer.WriteNumberValue(temperature);
        }
        else if (name == "model")
        {
            writer.WriteStringValue(variant.Model);
        }
        else if (Param(variant, name) is { } parameter)
        {
            parameter.WriteTo(writer);
        }
        else
        {
            WriteNode(writer, callers);
        }
    }

    private static void WriteStreamOptions(Utf8JsonWriter writer, JsonObject? options)
    {
        writer.WriteStartObject();
        if (options is not null)
        {
            foreach (var (name, value) in options)
            {
                writer.WritePropertyName(name);
                if (name == IncludeUsage)
                {
                    writer.WriteBooleanValue(true);
                }
                else
                {
                    WriteNode(writer, value);
                }
            }
        }

        if (options is null || !options.ContainsKey(IncludeUsage))
        {
            writer.WriteBoolean(IncludeUsage, true);
        }

        writer.WriteEndObject();
    }

    // The system prompt replaces the first system (or developer) message's content, or goes first as a message of its own.
    private static void WriteMessages(Utf8JsonWriter writer, JsonArray? messages, string systemPrompt)
    {
        var target = messages is null ? -1 : SystemMessageIndex(messages);
        writer.WriteStartArray();
        if (target < 0)
        {
            writer.WriteStartObject();
            writer.WriteString("role", "system");
            writer.WriteString("content", systemPrompt);
            writer.WriteEndObject();
        }

        for (var i = 0; messages is not null && i < messages.Count; i++)
        {
            if (i != target)
            {
                WriteNode(writer, messages[i]);
                continue;
            }

            var message = (JsonObject)messages[i]!;
            writer.WriteStartObject();
            foreach (var (name, value) in message)
            {
                writer.WritePropertyName(name);
                if (name == "content")
                {
                    writer.WriteStringValue(systemPrompt);
                }
                else
                {
                    WriteNode(writer, value);
                }
            }

            if (!message.ContainsKey("content"))
            {
                writer.WriteString("content", systemPrompt);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static int SystemMessageIndex(JsonArray messages)
    {
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i] is JsonObject found && found["role"] is JsonValue role && role.TryGetValue<string>(out var name)
                && name is "system" or "developer")
            {
                return i;
            }
        }

        return -1;
    }

    private static void WriteNode(Utf8JsonWriter writer, JsonNode? node)
    {
        if (node is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            node.WriteTo(writer);
        }
    }

    private static bool IsParam(string name) => name is not (SimulationOptions.ParamsKey or Stream);

    private static bool InParams(VariantConfig variant, string name) => Param(variant, name) is not null;

    private static JsonElement? Param(VariantConfig variant, string name)
    {
        if (variant.Params is { ValueKind: JsonValueKind.Object } parameters && IsParam(name))
        {
            foreach (var field in parameters.EnumerateObject())
            {
                if (field.NameEquals(name))
                {
                    return field.Value;
                }
            }
        }

        return null;
    }

    private static int CountBefore(JsonElement parameters, string name, int end)
    {
        var count = 0;
        var index = 0;
        foreach (var field in parameters.EnumerateObject())
        {
            if (index++ == end)
            {
                break;
            }

            count += field.NameEquals(name) ? 1 : 0;
        }

        return count;
    }
}
