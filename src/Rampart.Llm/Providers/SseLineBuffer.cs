namespace Rampart.Llm.Providers;

/// <summary>Collects a server-sent event stream's bytes as they arrive and hands out its complete lines.</summary>
internal sealed class SseLineBuffer
{
    private byte[] buffer = new byte[4096];
    private int start;
    private int end;

    /// <summary>Adds bytes just read; lines handed out before are no longer valid.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        if (end + data.Length > buffer.Length)
        {
            var pending = end - start;
            var target = pending + data.Length > buffer.Length ? new byte[Math.Max(buffer.Length * 2, pending + data.Length)] : buffer;
            buffer.AsSpan(start, pending).CopyTo(target);
            buffer = target;
            start = 0;
            end = pending;
        }

        data.CopyTo(buffer.AsSpan(end));
        end += data.Length;
    }

    /// <summary>The next complete line without its line break, or false until more bytes arrive.</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        var pending = buffer.AsSpan(start, end - start);
        var newline = pending.IndexOf((byte)'\n');
        if (newline < 0)
        {
            line = default;
            return false;
        }

        line = pending[..newline];
        if (line.EndsWith("\r"u8))
        {
            line = line[..^1];
        }

        start += newline + 1;
        if (start == end)
        {
            start = end = 0;
        }

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
