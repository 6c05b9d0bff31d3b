namespace Rampart.Llm.Providers;

/// <summary>
/// Collects a server-sent event stream's bytes as they arrive and hands out its complete lines. Each byte is searched for
/// a line break once (a line arriving in many small reads costs linear time, not quadratic), and no line may be longer
/// than the limit: the buffer never holds more than one line's limit plus one read.
/// </summary>
internal sealed class SseLineBuffer(int maxLineBytes = UpstreamLimits.DefaultMaxStreamLineBytes)
{
    private byte[] buffer = new byte[4096];
    private int relayed;
    private int start;
    private int scanned;
    private int end;

    /// <summary>True once a line (complete or not) is longer than the limit; no line is handed out after that.</summary>
    public bool TooLong { get; private set; }

    /// <summary>The complete lines read since <see cref="MarkRelayed"/>, with their line breaks, as they arrived.</summary>
    public ReadOnlyMemory<byte> Unrelayed => buffer.AsMemory(relayed, start - relayed);

    /// <summary>Marks the lines read so far as handed on (or not needed), so <see cref="Unrelayed"/> starts after them and their room is reused.</summary>
    public void MarkRelayed()
    {
        relayed = start;
        if (start == end)
        {
            relayed = start = scanned = end = 0;
        }
    }

    /// <summary>Adds bytes just read; lines and <see cref="Unrelayed"/> handed out before are no longer valid.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        if (end + data.Length > buffer.Length)
        {
            var kept = end - relayed;
            var target = kept + data.Length > buffer.Length ? new byte[Math.Max(buffer.Length * 2, kept + data.Length)] : buffer;
            buffer.AsSpan(relayed, kept).CopyTo(target);
            buffer = target;
            start -= relayed;
            scanned -= relayed;
            end = kept;
            relayed = 0;
        }

        data.CopyTo(buffer.AsSpan(end));
        end += data.Length;
    }

    /// <summary>The next complete line without its line break, or false until more bytes arrive (or once <see cref="TooLong"/>).</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        line = default;
        if (TooLong)
        {
            return false;
        }

        var from = Math.Max(start, scanned);
        var newline = buffer.AsSpan(from, end - from).IndexOf((byte)'\n');
        if (newline < 0)
        {
            scanned = end;
            TooLong = end - start > maxLineBytes;
            return false;
        }

        var lineEnd = from + newline;
        if (lineEnd - start > maxLineBytes)
        {
            TooLong = true;
            return false;
        }

        line = buffer.AsSpan(start, lineEnd - start);
        if (line.EndsWith("\r"u8))
        {
            line = line[..^1];
        }

        start = lineEnd + 1;
        scanned = start;
        return true;
    }

    /// <summary>At the end of the stream: what is left after the last line break as a last line, or false when nothing is.</summary>
    public bool TryReadLast(out ReadOnlySpan<byte> line)
    {
        line = default;
        if (TooLong || start == end)
        {
            return false;
        }

        line = buffer.AsSpan(start, end - start);
        if (line.EndsWith("\r"u8))
        {
            line = line[..^1];
        }

        start = scanned = end;
        return true;
    }

    /// <summary>The payload of a <c>data:</c> line (one leading space removed), or false for any other line.</summary>
    public static bool TryGetData(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> data)
    {
        if (!line.StartsWith("data:"u8))
        {
            data = default;
            return false;
        }

        data = line[5..];
        if (data.StartsWith(" "u8))
        {
            data = data[1..];
        }

        return true;
    }
}
