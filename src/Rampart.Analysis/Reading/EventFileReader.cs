using System.Runtime.CompilerServices;
using Rampart.Core.Events;

namespace Rampart.Analysis.Reading;

/// <summary>
/// Reads a JSON Lines file of events (docs/cli.md, Events) straight into per-variant aggregates. Lines are split by Core's
/// <see cref="JsonLineSplitter"/>, as <see cref="EventLineReader"/> splits them (blank lines skipped, a final <c>\r</c>
/// and a leading BOM ignored); the common shape is read from the bytes without allocating, and any other line goes
/// through <see cref="EventLineParser"/>, so an invalid line is reported with the same line number, field and message
/// as <c>rampart import</c> gives.
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
    /// Reads every line of <paramref name="stream"/>, leaving out an event whose id was seen before (as import does). Throws <see cref="EventFormatException"/> at the first invalid line,
    /// unless <see cref="EventFileOptions.SkipInvalid"/> is set: then such lines are counted and the first few kept.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static EventFileResult Read(Stream stream, EventFileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= new EventFileOptions();
        var sink = new EventSink(options.Mode);
        var errors = new List<EventFormatException>();
        long events = 0, skipped = 0;
        var lines = new JsonLineSplitter(stream, InitialBuffer);
        while (lines.TryReadLine(out var line))
        {
            switch (ReadLine(sink, line, lines.LineNumber, out var error))
            {
                case LineOutcome.Event:
                    events++;
                    break;
                case LineOutcome.Duplicate:
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

        return new EventFileResult(sink.Experiments, events, skipped, errors) { Duplicates = sink.Duplicates };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static LineOutcome ReadLine(EventSink sink, ReadOnlySpan<byte> line, long lineNumber, out EventFormatException? error)
    {
        error = null;
        if (FastEventParser.TryParse(line, out var parsed))
        {
            return sink.Add(line, parsed, lineNumber) ? LineOutcome.Event : LineOutcome.Duplicate;
        }

        try
        {
            return sink.Add(EventLineParser.Parse(line, lineNumber), lineNumber) ? LineOutcome.Event : LineOutcome.Duplicate;
        }
        catch (EventFormatException e)
        {
            error = e;
            return LineOutcome.Invalid;
        }
    }

    private enum LineOutcome
    {
        Event,
        Duplicate,
        Invalid,
    }
}
