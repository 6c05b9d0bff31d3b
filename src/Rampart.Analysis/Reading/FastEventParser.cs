using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using Rampart.Core.Events;

namespace Rampart.Analysis.Reading;

/// <summary>
/// Reads the common shape of an event line straight from its UTF-8 bytes without allocating. It accepts a line only when
/// Core's <see cref="EventLineParser"/> would accept it with the same values, and gives up (returns false) on anything
/// else, escaped ids included; the caller then hands the line to <see cref="EventLineParser"/>, which either reads it or
/// names the line and field at fault. So a rejection always carries the parser's own message.
/// </summary>
internal static class FastEventParser
{
    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Disallow, AllowMultipleValues = true };

    [ThreadStatic]
    private static char[]? scratch;

    /// <summary>Reads <paramref name="line"/> into <paramref name="parsed"/>; false when the line needs the full parser.</summary>
    public static bool TryParse(ReadOnlySpan<byte> line, out ParsedEvent parsed)
    {
        parsed = default;
        var reader = new Utf8JsonReader(line, Options);
        try
        {
            return ReadObject(ref reader, ref parsed) && !reader.Read() && IsComplete(line, ref parsed);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            return false;
        }
    }

    private static bool ReadObject(ref Utf8JsonReader reader, ref ParsedEvent parsed)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var seen = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return true;
            }

            if (reader.TokenType != JsonTokenType.PropertyName || reader.ValueIsEscaped)
            {
                return false;
            }

            var field = FieldOf(reader.ValueSpan);
            if (field < 0)
            {
                if (!Utf8.IsValid(reader.ValueSpan) || !reader.Read() || !reader.TrySkip())
                {
                    return false;
                }

                continue;
            }

            if ((seen & (1 << field)) != 0 || !reader.Read() || !ReadField(field, ref reader, ref parsed))
            {
                return false;
            }

            seen |= 1 << field;
        }

        return false;
    }

    // The checks of Core's EventValues.ToEvent; the parser produces the message when one fails.
    private static bool IsComplete(ReadOnlySpan<byte> line, ref ParsedEvent parsed) =>
        parsed.HasType && IsSet(parsed.Experiment) && IsSet(parsed.Variant) && IsSet(parsed.Unit) && parsed.HasTs
        && IsValidKey(line[parsed.Experiment])
        && parsed.Type switch
        {
            EventType.Completion => parsed.LatencyMs is not null,
            EventType.Feedback => parsed.Score is not null && parsed.Value is not null,
            _ => true,
        };

    private static bool ReadField(int field, ref Utf8JsonReader reader, ref ParsedEvent parsed)
    {
        switch (field)
        {
            case Type:
                if (reader.TokenType != JsonTokenType.String) { return false; }
                if (reader.ValueTextEquals("exposure"u8)) { parsed.Type = EventType.Exposure; }
                else if (reader.ValueTextEquals("completion"u8)) { parsed.Type = EventType.Completion; }
                else if (reader.ValueTextEquals("feedback"u8)) { parsed.Type = EventType.Feedback; }
                else { return false; }
                parsed.HasType = true;
                return true;
            case Experiment: return RequiredId(ref reader, out parsed.Experiment);
            case Variant: return RequiredId(ref reader, out parsed.Variant);
            case Unit: return RequiredId(ref reader, out parsed.Unit);
            case Ts:
                if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var when)) { return false; }
                parsed.TsTicks = when.UtcTicks;
                parsed.HasTs = true;
                return true;
            case RequestId: return OptionalId(ref reader, out parsed.RequestId);
            case Score: return OptionalId(ref reader, out parsed.Score);
            case Id: return OptionalText(ref reader, nonEmpty: true, out _);
            case Error:
                if (!OptionalText(ref reader, nonEmpty: false, out var present)) { return false; }
                parsed.Failed = present;
                return true;
            case Model or Input or Output or Comment: return OptionalText(ref reader, nonEmpty: false, out _);
            case Stage: return OptionalWhole(ref reader, int.MaxValue, out _);
            case PromptTokens: return OptionalWhole(ref reader, long.MaxValue, out parsed.PromptTokens);
            case CompletionTokens: return OptionalWhole(ref reader, long.MaxValue, out parsed.CompletionTokens);
            case LatencyMs: return OptionalNumber(ref reader, out parsed.LatencyMs);
            case TtftMs: return OptionalNumber(ref reader, out _);
            case CostUsd: return OptionalNumber(ref reader, out parsed.CostUsd);
            default: return ReadValue(ref reader, out parsed.Value);
        }
    }

    // An id is used as bytes (hashed, interned), so an escaped one goes to the full parser, which unescapes it.
    private static bool RequiredId(ref Utf8JsonReader reader, out Range value)
    {
        value = default;
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || reader.ValueSpan.IsEmpty || !Utf8.IsValid(reader.ValueSpan))
        {
            return false;
        }

        // A string token starts at its opening quote; its value follows.
        var start = (int)reader.TokenStartIndex + 1;
        value = start..(start + reader.ValueSpan.Length);
        return true;
    }

    private static bool OptionalId(ref Utf8JsonReader reader, out Range? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (!RequiredId(ref reader, out var id))
        {
            return false;
        }

        value = id;
        return true;
    }

    private static bool IsSet(Range range) => range.End.Value > range.Start.Value;

    private static bool OptionalText(ref Utf8JsonReader reader, bool nonEmpty, out bool present)
    {
        present = false;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.String || (nonEmpty && reader.ValueSpan.IsEmpty))
        {
            return false;
        }

        present = true;
        return reader.ValueIsEscaped ? CanUnescape(ref reader) : Utf8.IsValid(reader.ValueSpan);
    }

    // What GetString would do, without keeping the string: unescape and transcode, failing on invalid UTF-8 or surrogates.
    private static bool CanUnescape(ref Utf8JsonReader reader)
    {
        var length = reader.ValueSpan.Length;
        if (scratch is null || scratch.Length < length)
        {
            scratch = new char[Math.Max(length, 1024)];
        }

        try
        {
            reader.CopyString(scratch);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool OptionalNumber(ref Utf8JsonReader reader, out double? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var number) && double.IsFinite(number) && number >= 0)
        {
            value = number;
            return true;
        }

        return false;
    }

    private static bool OptionalWhole(ref Utf8JsonReader reader, long max, out long? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var number) && number >= 0 && number <= max)
        {
            value = number;
            return true;
        }

        return false;
    }

    private static bool ReadValue(ref Utf8JsonReader reader, out double? value)
    {
        value = reader.TokenType switch
        {
            JsonTokenType.Number when reader.TryGetDouble(out var number) && double.IsFinite(number) => number,
            JsonTokenType.True => 1,
            JsonTokenType.False => 0,
            _ => null,
        };
        return value is not null;
    }

    // ExperimentDefinition.IsValidKey on bytes: [a-z0-9][a-z0-9_-]{0,63}. Unescaped JSON strings hold no raw newline, so the
    // regex's "$ before a final newline" cannot arise here.
    private static bool IsValidKey(ReadOnlySpan<byte> key)
    {
        if (key.Length is 0 or > 64 || !IsLowerAlphanumeric(key[0]))
        {
            return false;
        }

        foreach (var b in key[1..])
        {
            if (!IsLowerAlphanumeric(b) && b != (byte)'_' && b != (byte)'-')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsLowerAlphanumeric(byte b) => b is >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9';

    private const int Type = 0, Experiment = 1, Variant = 2, Unit = 3, Ts = 4, Id = 5, Stage = 6, RequestId = 7, LatencyMs = 8,
        TtftMs = 9, PromptTokens = 10, CompletionTokens = 11, CostUsd = 12, Error = 13, Model = 14, Input = 15, Output = 16,
        Score = 17, Value = 18, Comment = 19;

    private static int FieldOf(ReadOnlySpan<byte> name) => name.Length switch
    {
        2 when name.SequenceEqual("id"u8) => Id,
        2 when name.SequenceEqual("ts"u8) => Ts,
        4 when name.SequenceEqual("type"u8) => Type,
        4 when name.SequenceEqual("unit"u8) => Unit,
        5 when name.SequenceEqual("stage"u8) => Stage,
        5 when name.SequenceEqual("error"u8) => Error,
        5 when name.SequenceEqual("model"u8) => Model,
        5 when name.SequenceEqual("input"u8) => Input,
        5 when name.SequenceEqual("score"u8) => Score,
        5 when name.SequenceEqual("value"u8) => Value,
        6 when name.SequenceEqual("output"u8) => Output,
        7 when name.SequenceEqual("variant"u8) => Variant,
        7 when name.SequenceEqual("ttft_ms"u8) => TtftMs,
        7 when name.SequenceEqual("comment"u8) => Comment,
        8 when name.SequenceEqual("cost_usd"u8) => CostUsd,
        10 when name.SequenceEqual("experiment"u8) => Experiment,
        10 when name.SequenceEqual("request_id"u8) => RequestId,
        10 when name.SequenceEqual("latency_ms"u8) => LatencyMs,
        13 when name.SequenceEqual("prompt_tokens"u8) => PromptTokens,
        17 when name.SequenceEqual("completion_tokens"u8) => CompletionTokens,
        _ => -1,
    };
}
