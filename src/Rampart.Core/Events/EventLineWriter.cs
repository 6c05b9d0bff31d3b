using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Rampart.Core.Events;

/// <summary>Writes events as JSON Lines (docs/cli.md, Events), fields in a fixed order, unknown fields kept.</summary>
public static class EventLineWriter
{
    /// <summary>The encoder event lines are written with: JSON's own escapes only, not HTML's (<c>é</c> stays <c>é</c>).</summary>
    public static JavaScriptEncoder Encoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>Writes one event as a JSON object (no newline).</summary>
    /// <exception cref="ArgumentNullException">when <paramref name="writer"/> or <paramref name="e"/> is null.</exception>
    public static void Write(Utf8JsonWriter writer, ExperimentEvent e)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(e);
        writer.WriteStartObject();
        writer.WriteString("type", e.Type switch { EventType.Exposure => "exposure", EventType.Completion => "completion", _ => "feedback" });
        writer.WriteString("experiment", e.Experiment);
        writer.WriteString("variant", e.Variant);
        writer.WriteString("unit", e.Unit);
        writer.WriteString("ts", FormatTimestamp(e.Ts));
        WriteIfSet(writer, "id", e.Id);
        if (e.Stage is { } stage)
        {
            writer.WriteNumber("stage", stage);
        }

        WriteIfSet(writer, "request_id", e.RequestId);
        if (e.Shadow)
        {
            writer.WriteBoolean("shadow", true);
        }

        WriteIfSet(writer, "pair_id", e.PairId);
        if (e.Attributes is not null)
        {
            writer.WritePropertyName("attributes");
            writer.WriteRawValue(e.Attributes);
        }
        if (e.Type == EventType.Completion)
        {
            WriteNumber(writer, "latency_ms", e.LatencyMs);
            WriteIfSet(writer, "ttft_ms", e.TtftMs);
            WriteIfSet(writer, "prompt_tokens", e.PromptTokens);
            WriteIfSet(writer, "completion_tokens", e.CompletionTokens);
            WriteNumber(writer, "cost_usd", e.CostUsd);
            writer.WriteString("error", e.Error);
            WriteIfSet(writer, "model", e.Model);
            WriteIfSet(writer, "input", e.Input);
            WriteIfSet(writer, "output", e.Output);
        }

        if (e.Type == EventType.Feedback)
        {
            WriteIfSet(writer, "score", e.Score);
            WriteNumber(writer, "value", e.Value);
            WriteIfSet(writer, "comment", e.Comment);
            WriteIfSet(writer, "source", e.Source);
            WriteIfSet(writer, "model", e.Model);
            WriteIfSet(writer, "cost_usd", e.CostUsd);
        }

        if (e.Extra is not null)
        {
            using var extra = JsonDocument.Parse(e.Extra);
            foreach (var property in extra.RootElement.EnumerateObject())
            {
                property.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>The timestamp in UTC ISO 8601 with a <c>Z</c> and no more digits than needed.</summary>
    public static string FormatTimestamp(DateTimeOffset ts) =>
        ts.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
