using System.Runtime.CompilerServices;
using Rampart.Core.Events;

namespace Rampart.Analysis.Reading;

/// <summary>
/// Reads a JSON Lines file of events (DESIGN §3) straight into per-variant aggregates. Lines are split and validated exactly
/// as Core's <see cref="EventLineReader"/> does (blank lines skipped, a final <c>\r</c> and a leading BOM ignored); the common
/// shape is read from the bytes without allocating, and any other line goes through <see cref="EventLineParser"/>, so an
/// invalid line is reported with the same line number, field and message as <c>rampart import</c> gives.
/// </summary>
public static class EventFileReader
{
    private const int InitialBuffer = 1 << 20;

    /// <summary>Reads the file at <paramref name="path"/>; see <see cref="Read(Stream, EventFileOptions?)"/>.</summary>
    public static EventFileResult Read(string path, EventFileOptions? options = null)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        return Read(stream, options);
    }

    /// <summary>
    /// Reads every line of <paramref name="stream"/>. Throws <see cref="EventFormatException"/> at the first invalid line,
    /// unless <see cref="EventFileOptions.SkipInvalid"/> is set: then such lines are counted and the first few kept.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static EventFileResult Read(Stream stream, EventFileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= new EventFileOptions();
        var sink = new EventSink(options.Mode);
        var errors = new List<EventFormatException>();
        long events = 0, skipped = 0, lineNumber = 0;
        var buffer = new byte[InitialBuffer];
        int start = 0, end = 0;
        var eof = false;
        while (true)
        {
            var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
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
                return new EventFileResult(sink.Experiments, events, skipped, errors);
            }

            var lineEnd = newline < 0 ? end : start + newline;
            lineNumber++;
            var line = buffer.AsSpan(start, lineEnd - start);
            start = newline < 0 ? end : lineEnd + 1;
            switch (ReadLine(sink, line, lineNumber, out var error))
            {
                case LineOutcome.Event:
                    events++;
                    break;
                case LineOutcome.Invalid when options.SkipInvalid:
                    skipped++;
                    if (errors.Count < options.KeptErrors)
                    {
                        errors.Add(error!);
                    }

                    break;
                case LineOutcome.Invalid:
                    throw error!;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static LineOutcome ReadLine(EventSink sink, ReadOnlySpan<byte> line, long lineNumber, out EventFormatException? error)
    {
        error = null;
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
            return LineOutcome.Blank;
        }

        if (FastEventParser.TryParse(line, out var parsed))
        {
            sink.Add(line, parsed, lineNumber);
            return LineOutcome.Event;
        }

        try
        {
            sink.Add(EventLineParser.Parse(line, lineNumber), lineNumber);
            return LineOutcome.Event;
        }
        catch (EventFormatException e)
        {
            error = e;
            return LineOutcome.Invalid;
        }
    }

    private enum LineOutcome
    {
        Blank,
        Event,
        Invalid,
    }
}
