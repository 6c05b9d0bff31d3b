using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rampart.Llm.Providers;

/// <summary>Writes OpenAI's chat completion wire format for providers that produce or translate answers.</summary>
internal static class OpenAiWire
{
    public const string JsonContentType = "application/json";
    public const string EventStreamContentType = "text/event-stream";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The stream's last event.</summary>
    public static ReadOnlyMemory<byte> Done { get; } = "data: [DONE]\n\n"u8.ToArray();

    /// <summary>A request body as UTF-8 JSON.</summary>
    public static byte[] Serialize(JsonNode body) => Write(writer => body.WriteTo(writer));

    /// <summary>A request body as UTF-8 JSON into <paramref name="output"/> (a pooled buffer, so a call allocates no copy).</summary>
    public static void Serialize(JsonNode body, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        body.WriteTo(writer);
    }

    /// <summary>A writer of request bodies into <paramref name="output"/>, with the same settings as <see cref="Serialize(JsonNode)"/>.</summary>
    public static Utf8JsonWriter CreateWriter(IBufferWriter<byte> output) => new(output, WriterOptions);

    /// <summary>A whole <c>chat.completion</c>; <paramref name="satisfied"/> adds the simulated provider's <c>rampart_sim</c> (with <paramref name="quality"/> when given).</summary>
    public static byte[] Completion(string id, long created, string model, string content, string? finishReason, long promptTokens, long completionTokens, bool? satisfied = null, double? quality = null) =>
        Write(writer =>
        {
            Header(writer, id, "chat.completion", created, model);
            writer.WriteStartArray("choices");
            writer.WriteStartObject();
            writer.WriteNumber("index", 0);
            writer.WriteStartObject("message");
            writer.WriteString("role", "assistant");
            writer.WriteString("content", content);
            writer.WriteEndObject();
            WriteNullable(writer, "finish_reason", finishReason);
            writer.WriteEndObject();
            writer.WriteEndArray();
            Usage(writer, promptTokens, completionTokens);
            Simulated(writer, satisfied, quality);
            writer.WriteEndObject();
        });

    /// <summary>One <c>chat.completion.chunk</c> event with a delta (role, content, both or neither) and perhaps the finish reason.</summary>
    public static byte[] Chunk(string id, long created, string model, string? role, string? content, string? finishReason) =>
        Event(writer =>
        {
            Header(writer, id, "chat.completion.chunk", created, model);
            writer.WriteStartArray("choices");
            writer.WriteStartObject();
            writer.WriteNumber("index", 0);
            writer.WriteStartObject("delta");
            if (role is not null)
            {
                writer.WriteString("role", role);
            }

            if (content is not null)
            {
                writer.WriteString("content", content);
            }

            writer.WriteEndObject();
            WriteNullable(writer, "finish_reason", finishReason);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        });

    /// <summary>The usage chunk OpenAI sends last when <c>stream_options.include_usage</c> is set: no choices, only usage.</summary>
    public static byte[] UsageChunk(string id, long created, string model, long promptTokens, long completionTokens, bool? satisfied = null, double? quality = null) =>
        Event(writer =>
        {
            Header(writer, id, "chat.completion.chunk", created, model);
            writer.WriteStartArray("choices");
            writer.WriteEndArray();
            Usage(writer, promptTokens, completionTokens);
            Simulated(writer, satisfied, quality);
            writer.WriteEndObject();
        });

    /// <summary>An error inside a stream that has already started, in OpenAI's envelope.</summary>
    public static byte[] ErrorEvent(string message, string type, string? code = null) =>
        Event(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteString("message", message);
            writer.WriteString("type", type);
            if (code is not null)
            {
                writer.WriteString("code", code);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        });

    private static void Header(Utf8JsonWriter writer, string id, string kind, long created, string model)
    {
        writer.WriteStartObject();
        writer.WriteString("id", id);
        writer.WriteString("object", kind);
        writer.WriteNumber("created", created);
        writer.WriteString("model", model);
    }

    private static void Usage(Utf8JsonWriter writer, long promptTokens, long completionTokens)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", promptTokens);
        writer.WriteNumber("completion_tokens", completionTokens);
        writer.WriteNumber("total_tokens", promptTokens + completionTokens);
        writer.WriteEndObject();
    }

    private static void Simulated(Utf8JsonWriter writer, bool? satisfied, double? quality)
    {
        if (satisfied is { } value)
        {
            writer.WriteStartObject("rampart_sim");
            writer.WriteBoolean("satisfied", value);
            if (quality is { } q)
            {
                writer.WriteNumber("quality", q);
            }

            writer.WriteEndObject();
        }
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static byte[] Event(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write("data: "u8);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        buffer.Write("\n\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
