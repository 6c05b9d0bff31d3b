using System.Text;
using System.Text.Json;
using Rampart.Core.Events;
using Rampart.Server.Http;

namespace Rampart.Server.Events;

/// <summary>
/// Reads <c>POST /api/events</c>'s body: a JSON array of events, or JSON Lines (one event per line). Each event is
/// checked on its own; a bad one is reported with its position (<c>index</c> in an array from 0, <c>line</c> in JSON
/// Lines from 1) and the field at fault, and the others still count.
/// </summary>
internal static class EventsBody
{
    /// <summary>The events of <paramref name="body"/> with their positions, and the problems; null with <paramref name="problem"/> when the body is unusable as a whole.</summary>
    public static List<EventsBodyItem>? Read(byte[] body, out bool isArray, out FieldProblem? problem)
    {
        problem = null;
        var trimmed = body.AsSpan().TrimStart(" \t\r\n"u8);
        if (trimmed.StartsWith("\uFEFF"u8))
        {
            trimmed = trimmed[3..].TrimStart(" \t\r\n"u8);
        }

        isArray = trimmed.Length > 0 && trimmed[0] == (byte)'[';
        if (trimmed.Trim(" \t\r\n"u8).IsEmpty)
        {
            problem = new FieldProblem("body", "'body' is empty; send a JSON array of events or JSON Lines (docs/api.md, POST /api/events).");
            return null;
        }

        return isArray ? ReadArray(body, out problem) : ReadLines(body);
    }

    private static List<EventsBodyItem>? ReadArray(byte[] body, out FieldProblem? problem)
    {
        problem = null;
        if (!System.Text.Unicode.Utf8.IsValid(body))
        {
            problem = new FieldProblem("body", "'body' is a JSON array but not valid UTF-8; send valid UTF-8, or JSON Lines to have only the bad lines rejected.");
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            problem = new FieldProblem("body", $"'body' starts like a JSON array but is not valid UTF-8 JSON (line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}); send a valid array, or JSON Lines.");
            return null;
        }

        using (document)
        {
            var items = new List<EventsBodyItem>(document.RootElement.GetArrayLength());
            var index = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                try
                {
                    items.Add(new EventsBodyItem(index, EventLineParser.Parse(Encoding.UTF8.GetBytes(element.GetRawText()), index), null, null));
                }
                catch (EventFormatException e)
                {
                    items.Add(new EventsBodyItem(index, null, e.Field ?? "event", e.Problem));
                }

                index++;
            }

            return items;
        }
    }

    private static List<EventsBodyItem> ReadLines(byte[] body)
    {
        using var stream = new MemoryStream(body, writable: false);
        return [.. EventLineReader.Read(stream).Select(line => line.Event is not null
            ? new EventsBodyItem(line.Line, line.Event, null, null)
            : new EventsBodyItem(line.Line, null, line.Error!.Field ?? "line", line.Error.Problem))];
    }
}
