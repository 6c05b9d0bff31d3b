using System.Text.Json;

namespace Rampart.Core.Events;

/// <summary>
/// A page of <see cref="QuarantinedEvent"/>s as JSON, the same from <c>GET /api/events/quarantined</c> and
/// <c>rampart events quarantined --format json</c>: <c>{"events": [{position, experiment, event_id, error, quarantined_at,
/// event}], "next_after": position or null}</c>.
/// </summary>
public static class QuarantinedEventJson
{
    /// <summary>Writes the page; <paramref name="nextAfter"/> is the <c>after</c> of the next page, or null when this is the last.</summary>
    /// <exception cref="ArgumentNullException">when <paramref name="writer"/> or <paramref name="events"/> is null.</exception>
    public static void Write(Utf8JsonWriter writer, IReadOnlyList<QuarantinedEvent> events, long? nextAfter)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(events);
        writer.WriteStartObject();
        writer.WriteStartArray("events");
        foreach (var q in events)
        {
            writer.WriteStartObject();
            writer.WriteNumber("position", q.Position);
            writer.WriteString("experiment", q.Experiment);
            writer.WriteString("event_id", q.EventId);
            writer.WriteString("error", q.Error);
            writer.WriteString("quarantined_at", EventLineWriter.FormatTimestamp(q.QuarantinedAt));
            writer.WritePropertyName("event");
            writer.WriteRawValue(q.EventJson);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (nextAfter is { } next)
        {
            writer.WriteNumber("next_after", next);
        }
        else
        {
            writer.WriteNull("next_after");
        }

        writer.WriteEndObject();
    }
}
