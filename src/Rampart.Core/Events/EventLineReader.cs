namespace Rampart.Core.Events;

/// <summary>Splits a UTF-8 JSON Lines stream into lines and parses each; blank lines are skipped, bad lines reported, not thrown.</summary>
public static class EventLineReader
{
    private const int InitialBuffer = 1 << 16;

    /// <summary>Every non-blank line of <paramref name="stream"/>, parsed, in order.</summary>
    public static IEnumerable<EventLine> Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new byte[InitialBuffer];
        int start = 0, end = 0;
        long lineNumber = 0;
        var eof = false;
        while (true)
        {
            var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            if (newline < 0 && !eof)
            {
                if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }

                if (end == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                var read = stream.Read(buffer, end, buffer.Length - end);
                eof = read == 0;
                end += read;
                continue;
            }

            if (newline < 0 && start == end)
            {
                yield break;
            }

            var lineEnd = newline < 0 ? end : newline;
            lineNumber++;
            var line = buffer.AsMemory(start, lineEnd - start);
            start = newline < 0 ? end : newline + 1;
            var parsed = Parse(line.Span, lineNumber);
            if (parsed is not null)
            {
                yield return parsed;
            }
        }
    }

    private static EventLine? Parse(ReadOnlySpan<byte> line, long lineNumber)
    {
        if (line.Length > 0 && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        if (lineNumber == 1 && line.StartsWith("\uFEFF"u8))
        {
            line = line[3..];
        }

        if (line.Trim(" \t"u8).IsEmpty)
        {
            return null;
        }

        try
        {
            return new EventLine(lineNumber, EventLineParser.Parse(line, lineNumber), null);
        }
        catch (EventFormatException e)
        {
            return new EventLine(lineNumber, null, e);
        }
    }
}
