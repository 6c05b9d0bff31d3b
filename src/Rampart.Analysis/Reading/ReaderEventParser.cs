using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using Rampart.Core.Events;

namespace Rampart.Analysis.Reading;

/// <summary>
/// The second try of <see cref="FastEventParser"/>: any field order, unknown fields and escaped text, through
/// <see cref="Utf8JsonReader"/> with the same calls Core's <see cref="EventLineParser"/> makes, without allocating.
/// Gives up (returns false) on escaped ids and on anything the parser would reject.
/// </summary>
internal static class ReaderEventParser
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
            return ReadObject(ref reader, ref parsed) && !reader.Read() && EventFields.IsComplete(line, parsed);
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

            var field = EventFields.Of(reader.ValueSpan);
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

    private static bool ReadField(int field, ref Utf8JsonReader reader, ref ParsedEvent parsed)
    {
        switch (field)
        {
            case EventFields.Type:
                if (reader.TokenType != JsonTokenType.String) { return false; }
                if (reader.ValueTextEquals("exposure"u8)) { parsed.Type = EventType.Exposure; }
                else if (reader.ValueTextEquals("completion"u8)) { parsed.Type = EventType.Completion; }
                else if (reader.ValueTextEquals("feedback"u8)) { parsed.Type = EventType.Feedback; }
                else { return false; }
                parsed.HasType = true;
                return true;
            case EventFields.Experiment: return RequiredId(ref reader, out parsed.Experiment);
            case EventFields.Variant: return RequiredId(ref reader, out parsed.Variant);
            case EventFields.Unit: return RequiredId(ref reader, out parsed.Unit);
            case EventFields.Ts:
                if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var when)) { return false; }
                parsed.TsTicks = when.UtcTicks;
                parsed.HasTs = true;
                return true;
            case EventFields.RequestId: return OptionalId(ref reader, out parsed.RequestId);
            case EventFields.Score: return OptionalId(ref reader, out parsed.Score);
            case EventFields.Id: return OptionalId(ref reader, out parsed.Id);
            case EventFields.Error:
                if (!OptionalText(ref reader, nonEmpty: false, out var present)) { return false; }
                parsed.Cancelled = present && reader.ValueTextEquals(CancelledCall.Error);
                parsed.Failed = present && !parsed.Cancelled;
                return true;
            case EventFields.Source: return OptionalId(ref reader, out parsed.Source);
            case EventFields.PairId: return OptionalId(ref reader, out parsed.PairId);
            case EventFields.Shadow:
                parsed.Shadow = reader.TokenType == JsonTokenType.True;
                return reader.TokenType is JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null;
            case EventFields.Model:
                if (reader.TokenType == JsonTokenType.Null) { return true; }
                if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || !Utf8.IsValid(reader.ValueSpan)) { return false; }
                var modelStart = (int)reader.TokenStartIndex + 1;
                parsed.Model = modelStart..(modelStart + reader.ValueSpan.Length);
                return true;
            case EventFields.Input or EventFields.Output or EventFields.Comment: return OptionalText(ref reader, nonEmpty: false, out _);
            case EventFields.Stage: return OptionalWhole(ref reader, EventNumber.Stage, out _);
            case EventFields.PromptTokens: return OptionalWhole(ref reader, EventNumber.Tokens, out parsed.PromptTokens);
            case EventFields.CompletionTokens: return OptionalWhole(ref reader, EventNumber.Tokens, out parsed.CompletionTokens);
            case EventFields.LatencyMs: return OptionalNumber(ref reader, EventNumber.Latency, out parsed.LatencyMs);
            case EventFields.TtftMs: return OptionalNumber(ref reader, EventNumber.Latency, out _);
            case EventFields.CostUsd: return OptionalNumber(ref reader, EventNumber.Cost, out parsed.CostUsd);
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

    private static bool OptionalNumber(ref Utf8JsonReader reader, EventNumber kind, out double? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var number) && EventNumberRules.IsValid(kind, number))
        {
            value = number;
            return true;
        }

        return false;
    }

    private static bool OptionalWhole(ref Utf8JsonReader reader, EventNumber kind, out long? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var number) && EventNumberRules.IsValid(kind, number))
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
            JsonTokenType.Number when reader.TryGetDouble(out var number) && EventNumberRules.IsValid(EventNumber.Score, number) => number,
            JsonTokenType.True => 1,
            JsonTokenType.False => 0,
            _ => null,
        };
        return value is not null;
    }

}
