using System.Buffers;
using System.Collections.Frozen;
using System.Text;
using System.Text.Json;

namespace Rampart.Core.Events;

/// <summary>Parses one JSON Lines event (docs/cli.md, Events) from UTF-8 bytes, naming the line and field of the first problem.</summary>
public static class EventLineParser
{
    private static readonly FrozenDictionary<string, EventField> Fields = new Dictionary<string, EventField>
    {
        ["type"] = EventField.Type, ["experiment"] = EventField.Experiment, ["variant"] = EventField.Variant,
        ["unit"] = EventField.Unit, ["ts"] = EventField.Ts, ["id"] = EventField.Id, ["stage"] = EventField.Stage,
        ["request_id"] = EventField.RequestId, ["latency_ms"] = EventField.LatencyMs, ["ttft_ms"] = EventField.TtftMs,
        ["prompt_tokens"] = EventField.PromptTokens, ["completion_tokens"] = EventField.CompletionTokens,
        ["cost_usd"] = EventField.CostUsd, ["error"] = EventField.Error, ["model"] = EventField.Model,
        ["input"] = EventField.Input, ["output"] = EventField.Output, ["score"] = EventField.Score,
        ["value"] = EventField.Value, ["comment"] = EventField.Comment, ["source"] = EventField.Source,
        ["shadow"] = EventField.Shadow, ["pair_id"] = EventField.PairId, ["attributes"] = EventField.Attributes,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, EventField>.AlternateLookup<ReadOnlySpan<char>> FieldsBySpan =
        Fields.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Parses <paramref name="line"/> (line number <paramref name="lineNumber"/>).</summary>
    /// <exception cref="EventFormatException">when <paramref name="line"/> is not one valid event; the message names the line and, where there is one, the field at fault.</exception>
    public static ExperimentEvent Parse(ReadOnlySpan<byte> line, long lineNumber)
    {
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, AllowMultipleValues = true });
        try
        {
            return Read(ref reader, line, lineNumber);
        }
        catch (JsonException e)
        {
            throw new EventFormatException(lineNumber, null, $"is not valid JSON (position {e.BytePositionInLine + 1})");
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new EventFormatException(lineNumber, null, "is not valid UTF-8 JSON");
        }
    }

    /// <summary>Parses a line given as text.</summary>
    /// <exception cref="ArgumentNullException">when <paramref name="line"/> is null.</exception>
    /// <exception cref="EventFormatException">when <paramref name="line"/> is not one valid event; the message names the line and, where there is one, the field at fault.</exception>
    public static ExperimentEvent Parse(string line, long lineNumber) => Parse(Encoding.UTF8.GetBytes(line), lineNumber);

    private static ExperimentEvent Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> line, long lineNumber)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new EventFormatException(lineNumber, null, "is not a JSON object");
        }

        var values = new EventValues(lineNumber);
        ArrayBufferWriter<byte>? extra = null;
        Utf8JsonWriter? extraWriter = null;
        Span<char> nameBuffer = stackalloc char[64];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var nameLength = reader.HasValueSequence || reader.ValueSpan.Length > nameBuffer.Length ? -1 : reader.CopyString(nameBuffer);
            var field = default(EventField);
            var known = nameLength >= 0 && FieldsBySpan.TryGetValue(nameBuffer[..nameLength], out field);
            if (!known)
            {
                var name = reader.GetString()!;
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                extra ??= new ArrayBufferWriter<byte>();
                extraWriter ??= StartExtra(extra);
                extraWriter.WritePropertyName(name);
                extraWriter.WriteRawValue(line[start..(int)reader.BytesConsumed], skipInputValidation: true);
                continue;
            }

            reader.Read();
            values.Set(field, ref reader);
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            throw new EventFormatException(lineNumber, null, "is not a JSON object");
        }

        if (reader.Read())
        {
            throw new EventFormatException(lineNumber, null, "holds more than one JSON value; write one event per line");
        }

        string? extraJson = null;
        if (extraWriter is not null)
        {
            extraWriter.WriteEndObject();
            extraWriter.Flush();
            extraJson = Encoding.UTF8.GetString(extra!.WrittenSpan);
            extraWriter.Dispose();
        }

        return values.ToEvent(extraJson);
    }

    private static Utf8JsonWriter StartExtra(ArrayBufferWriter<byte> buffer)
    {
        var writer = new Utf8JsonWriter(buffer);
        writer.WriteStartObject();
        return writer;
    }
}
