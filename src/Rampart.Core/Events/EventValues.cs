using System.Text.Json;
using Rampart.Core.Experiments;

namespace Rampart.Core.Events;

/// <summary>The fields of one event line as they are read, checked one by one, then as a whole.</summary>
internal sealed class EventValues(long line)
{
    // The experiment keys and variant names last read on this thread: the lines of a batch repeat a few of them, and a
    // line that repeats one gets the same string, neither allocated nor decoded again (nor, for a key, checked again).
    [ThreadStatic] private static RecentText? recentExperiments;
    [ThreadStatic] private static RecentText? recentVariants;

    private uint seen; // a bit per EventField given so far
    private bool experimentValid; // set whenever the key is read: a recent key, or one just checked
    private EventType? type;
    private string? experiment, variant, unit, id, requestId, error, model, input, output, score, comment, source, pairId, attributes;
    private bool shadow;
    private DateTimeOffset? ts;
    private int? stage;
    private double? latencyMs, ttftMs, costUsd, value;
    private long? promptTokens, completionTokens;

    public void Set(EventField field, ref Utf8JsonReader reader)
    {
        var bit = 1u << (int)field;
        if ((seen & bit) != 0)
        {
            throw Bad(field, "is given twice");
        }

        seen |= bit;

        switch (field)
        {
            case EventField.Type: type = ReadType(ref reader); break;
            case EventField.Experiment: experiment = ReadExperiment(ref reader); break;
            case EventField.Variant: variant = ReadVariant(ref reader); break;
            case EventField.Unit: unit = RequiredString(field, ref reader); break;
            case EventField.Ts: ts = ReadTimestamp(ref reader); break;
            case EventField.Id: id = OptionalString(field, ref reader, nonEmpty: true, EventLimits.MaxIdLength); break;
            case EventField.Stage: stage = (int?)OptionalWhole(field, EventNumber.Stage, ref reader); break;
            case EventField.RequestId: requestId = OptionalString(field, ref reader, nonEmpty: true, EventLimits.MaxIdLength); break;
            case EventField.LatencyMs: latencyMs = OptionalNumber(field, EventNumber.Latency, ref reader); break;
            case EventField.TtftMs: ttftMs = OptionalNumber(field, EventNumber.Latency, ref reader); break;
            case EventField.PromptTokens: promptTokens = OptionalWhole(field, EventNumber.Tokens, ref reader); break;
            case EventField.CompletionTokens: completionTokens = OptionalWhole(field, EventNumber.Tokens, ref reader); break;
            case EventField.CostUsd: costUsd = OptionalNumber(field, EventNumber.Cost, ref reader); break;
            case EventField.Error: error = OptionalString(field, ref reader, nonEmpty: false); break;
            case EventField.Model: model = OptionalString(field, ref reader, nonEmpty: false); break;
            case EventField.Input: input = OptionalString(field, ref reader, nonEmpty: false); break;
            case EventField.Output: output = OptionalString(field, ref reader, nonEmpty: false); break;
            case EventField.Score: score = OptionalString(field, ref reader, nonEmpty: true, EventLimits.MaxScoreNameLength); break;
            case EventField.Value: value = ReadValue(ref reader); break;
            case EventField.Comment: comment = OptionalString(field, ref reader, nonEmpty: false); break;
            case EventField.Source: source = OptionalString(field, ref reader, nonEmpty: true); break;
            case EventField.Shadow: shadow = ReadShadow(ref reader); break;
            case EventField.PairId: pairId = OptionalString(field, ref reader, nonEmpty: true); break;
            case EventField.Attributes: attributes = ReadAttributes(ref reader); break;
            default: throw new InvalidOperationException($"Unhandled field {field}.");
        }
    }

    public ExperimentEvent ToEvent(string? extra)
    {
        var kind = type ?? throw Bad(EventField.Type, "is required (exposure, completion or feedback)");
        Require(EventField.Experiment, experiment);
        Require(EventField.Variant, variant);
        Require(EventField.Unit, unit);
        if (!experimentValid)
        {
            throw Bad(EventField.Experiment, $"must be a valid experiment key, not '{experiment}'");
        }

        var when = ts ?? throw Bad(EventField.Ts, "is required (an ISO 8601 timestamp such as 2026-11-01T10:00:00Z)");
        if (kind == EventType.Completion && latencyMs is null)
        {
            throw Bad(EventField.LatencyMs, "is required on a completion");
        }

        if (kind == EventType.Feedback)
        {
            Require(EventField.Score, score);
            if (value is null)
            {
                throw Bad(EventField.Value, $"is required on feedback ({EventNumberRules.Expected(EventNumber.Score)})");
            }
        }

        if (shadow && pairId is null)
        {
            throw Bad(EventField.PairId, "is required on a shadow event (the request id of the served call it pairs with)");
        }

        if (shadow && kind == EventType.Exposure)
        {
            throw Bad(EventField.Shadow, "is only for completions and feedback: nobody is exposed to a shadow answer");
        }

        return new ExperimentEvent
        {
            Type = kind, Experiment = experiment!, Variant = variant!, Unit = unit!, Ts = when, Id = id, Stage = stage,
            RequestId = requestId, LatencyMs = latencyMs, TtftMs = ttftMs, PromptTokens = promptTokens,
            CompletionTokens = completionTokens, CostUsd = costUsd, Error = error, Model = model, Input = input,
            Output = output, Score = score, Value = value, Comment = comment, Source = source, Shadow = shadow, PairId = pairId, Attributes = attributes,
            Extra = extra,
        };
    }

    private EventType ReadType(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.ValueTextEquals("exposure"u8)) { return EventType.Exposure; }
            if (reader.ValueTextEquals("completion"u8)) { return EventType.Completion; }
            if (reader.ValueTextEquals("feedback"u8)) { return EventType.Feedback; }
        }

        throw Bad(EventField.Type, "must be \"exposure\", \"completion\" or \"feedback\"");
    }

    private DateTimeOffset ReadTimestamp(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var when)
            ? when
            : throw Bad(EventField.Ts, "must be an ISO 8601 timestamp such as 2026-11-01T10:00:00Z");

    // A key a recent line gave is valid already; a new one is remembered only once found valid.
    private string ReadExperiment(ref Utf8JsonReader reader)
    {
        var recent = recentExperiments ??= new RecentText();
        if (recent.Find(ref reader) is { } known)
        {
            experimentValid = true;
            return known;
        }

        var key = RequiredString(EventField.Experiment, ref reader);
        experimentValid = ExperimentDefinition.IsValidKey(key);
        if (experimentValid)
        {
            recent.Remember(ref reader, key);
        }

        return key;
    }

    private string ReadVariant(ref Utf8JsonReader reader)
    {
        var recent = recentVariants ??= new RecentText();
        if (recent.Find(ref reader) is { } known)
        {
            return known;
        }

        var name = RequiredString(EventField.Variant, ref reader);
        recent.Remember(ref reader, name);
        return name;
    }

    private string RequiredString(EventField field, ref Utf8JsonReader reader)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return string.IsNullOrEmpty(text) ? throw Bad(field, "must be a non-empty string") : text;
    }

    private string? OptionalString(EventField field, ref Utf8JsonReader reader, bool nonEmpty, int maxLength = int.MaxValue)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        if (text is null || (nonEmpty && text.Length == 0))
        {
            throw Bad(field, nonEmpty ? "must be a non-empty string or null" : "must be a string or null");
        }

        return text.Length <= maxLength ? text : throw Bad(field, $"must be at most {maxLength} characters long, not {text.Length}");
    }

    private double? OptionalNumber(EventField field, EventNumber kind, ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        return reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var number) && EventNumberRules.IsValid(kind, number)
            ? number
            : throw Bad(field, $"must be {EventNumberRules.Expected(kind)} or null{Given(ref reader)}");
    }

    private long? OptionalWhole(EventField field, EventNumber kind, ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var number) && EventNumberRules.IsValid(kind, number)
            ? number
            : throw Bad(field, $"must be {EventNumberRules.Expected(kind)} or null{Given(ref reader)}");
    }

    private double ReadValue(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var number) && EventNumberRules.IsValid(EventNumber.Score, number)
            ? number
            : reader.TokenType == JsonTokenType.True ? 1
            : reader.TokenType == JsonTokenType.False ? 0
            : throw Bad(EventField.Value, $"must be {EventNumberRules.Expected(EventNumber.Score)} (or true/false){Given(ref reader)}");

    private string? ReadAttributes(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Bad(EventField.Attributes, "must be a JSON object of strings, numbers and booleans, or null");
        }

        using var document = JsonDocument.ParseValue(ref reader);
        if (Targeting.UnitAttributes.Read(document.RootElement, "attributes", out var problem) is null)
        {
            throw Bad(EventField.Attributes, problem!["attributes".Length..].TrimStart(':', ' ', '.'));
        }

        return document.RootElement.GetRawText();
    }

    private bool ReadShadow(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False or JsonTokenType.Null => false,
        _ => throw Bad(EventField.Shadow, "must be true, false or null"),
    };

    // The number as written (at most 32 characters of it), so the message shows what was refused.
    private static string Given(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.Number || reader.HasValueSequence)
        {
            return "";
        }

        var text = System.Text.Encoding.UTF8.GetString(reader.ValueSpan[..Math.Min(reader.ValueSpan.Length, 32)]);
        return $", not {text}{(reader.ValueSpan.Length > 32 ? "…" : "")}";
    }

    private void Require(EventField field, string? text)
    {
        if (text is null)
        {
            throw Bad(field, "is required");
        }
    }

    private EventFormatException Bad(EventField field, string problem) => new(line, EventFieldNames.Of(field), problem);

    /// <summary>A few strings with their UTF-8 bytes, the oldest replaced first.</summary>
    /// <remarks>The reader is always over one span (EventLineParser), so a value is never a sequence.</remarks>
    private sealed class RecentText
    {
        private const int Slots = 4, MaxBytes = 64;
        private readonly byte[] bytes = new byte[Slots * MaxBytes]; // slot i at i * MaxBytes
        private readonly int[] lengths = new int[Slots];
        private readonly string?[] texts = new string?[Slots];
        private int next;

        public string? Find(ref Utf8JsonReader reader)
        {
            if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
            {
                return null;
            }

            var value = reader.ValueSpan;
            for (var i = 0; i < Slots; i++)
            {
                if (texts[i] is { } text && lengths[i] == value.Length && value.SequenceEqual(bytes.AsSpan(i * MaxBytes, lengths[i])))
                {
                    return text;
                }
            }

            return null;
        }

        public void Remember(ref Utf8JsonReader reader, string text)
        {
            if (reader.ValueIsEscaped || reader.ValueSpan.Length > MaxBytes)
            {
                return;
            }

            reader.ValueSpan.CopyTo(bytes.AsSpan(next * MaxBytes, MaxBytes));
            lengths[next] = reader.ValueSpan.Length;
            texts[next] = text;
            next = (next + 1) % Slots;
        }
    }
}
