namespace Rampart.Core.Events;

/// <summary>Splits a UTF-8 JSON Lines stream into lines and parses each; blank lines are skipped, bad lines reported, not thrown.</summary>
public static class EventLineReader
{
    /// <summary>Every non-blank line of <paramref name="stream"/>, parsed, in order.</summary>
    /// <exception cref="ArgumentNullException">when <paramref name="stream"/> is null (on the first enumeration: the lines are read lazily).</exception>
    public static IEnumerable<EventLine> Read(Stream stream)
    {
        var lines = new JsonLineSplitter(stream);
        while (Next(lines) is { } line)
        {
            yield return line;
        }
    }

    private static EventLine? Next(JsonLineSplitter lines)
    {
        if (!lines.TryReadLine(out var line))
        {
            return null;
        }

        try
        {
            return new EventLine(lines.LineNumber, EventLineParser.Parse(line, lines.LineNumber), null);
        }
        catch (EventFormatException e)
        {
            return new EventLine(lines.LineNumber, null, e);
        }
    }
}
