using System.Runtime.CompilerServices;

namespace Rampart.Core.Events;

/// <summary>
/// Splits a UTF-8 JSON Lines stream into its non-blank lines, without copying them: a final <c>\r</c> and a leading
/// byte-order mark are removed, blank lines skipped (they still count in <see cref="LineNumber"/>). One buffer grows to
/// fit the longest line. Every reader of event files splits lines with it, so they agree on line numbers.
/// </summary>
public sealed class JsonLineSplitter
{
    private readonly Stream stream;
    private byte[] buffer;
    private int start;
    private int end;
    private bool eof;

    /// <summary>Splits <paramref name="stream"/>, reading it in pieces of <paramref name="initialBuffer"/> bytes or more.</summary>
    /// <exception cref="ArgumentNullException">when <paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">when <paramref name="initialBuffer"/> is less than 16.</exception>
    public JsonLineSplitter(Stream stream, int initialBuffer = 1 << 16)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(initialBuffer, 16);
        this.stream = stream;
        buffer = new byte[initialBuffer];
    }

    /// <summary>The 1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The next non-blank line; false at the end of the stream. The span is valid until the next call.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
            if (newline < 0 && !eof)
            {
                Fill();
                continue;
            }

            if (newline < 0 && start == end)
            {
                line = default;
                return false;
            }

            var lineEnd = newline < 0 ? end : start + newline;
            LineNumber++;
            line = buffer.AsSpan(start, lineEnd - start);
            start = newline < 0 ? end : lineEnd + 1;
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (LineNumber == 1 && line.StartsWith("\uFEFF"u8))
            {
                line = line[3..];
            }

            if (!line.Trim(" \t"u8).IsEmpty)
            {
                return true;
            }
        }
    }

    private void Fill()
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
    }
}
