using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using Rampart.Core.Events;

namespace Rampart.Server.Events;

/// <summary>
/// The bounded local journal the event writer spools gateway events to while the store fails, and replays from when it
/// returns: an append-only file of records, each flushed to disk (<c>fsync</c>) before its events count as safe, read
/// back from the head in the order written. Once every record is replayed the file is emptied. Opening it takes the
/// file for this server alone and checks every record: a torn last record (a crash during an append) is cut off; a
/// damaged record before the end is moved aside, with everything after it, to <c>PATH.corrupt-UNIXMS</c>.
/// Only the writer calls it (one thread at a time); the counts may be read from any thread.
/// </summary>
/// <remarks>
/// A record (little-endian): <c>length u32</c> (of what follows the checksum), <c>crc32 u32</c> (CRC-32 of the length
/// and everything after the checksum), <c>spooled-at i64</c> (Unix milliseconds), <c>events i32</c>, then the events
/// as JSON Lines, ids included, so a replay that repeats a stored event is a duplicate the store skips.
/// </remarks>
internal sealed partial class EventJournal(string path, long maxBytes, TimeProvider time, ILogger<EventJournal> logger, bool takeFreeSlot = false)
    : IDisposable
{
    /// <summary>The most files a default journal path is tried under (<c>PATH</c>, <c>PATH.2</c> … <c>PATH.16</c>).</summary>
    public const int MaxSlots = 16;

    private const int HeaderBytes = 8;
    private const int PrefixBytes = 12;
    private FileStream? file;
    private long end;
    private long head;
    private long held;
    private long oldestMs = -1;
    private (long Next, int Count)? peeked;

    /// <summary>The journal file's full path (with a default path, the slot this server took).</summary>
    public string Path { get; private set; } = System.IO.Path.GetFullPath(path);

    /// <summary>The most bytes the file may hold.</summary>
    public long MaxBytes { get; } = maxBytes;

    /// <summary>Events in the journal not yet replayed to the store.</summary>
    public long HeldEvents => Volatile.Read(ref held);

    /// <summary>The file's size in bytes (replayed records included until the journal is emptied).</summary>
    public long Bytes => Volatile.Read(ref end);

    /// <summary>When the oldest held event was spooled, or null when none is held.</summary>
    public DateTimeOffset? HeldSince => Volatile.Read(ref oldestMs) is >= 0 and var ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    /// <summary>
    /// Opens (or creates) the file, for this process alone, and checks its records; throws naming the path when it cannot.
    /// With <c>takeFreeSlot</c> (the default path, not one set by hand), a file another server on this machine holds is
    /// passed over for the next slot, <c>PATH.2</c> to <c>PATH.16</c>: any server may replay any slot, since the store
    /// skips an event it already has, so several servers sharing one SQLite file or one working folder need no setting.
    /// </summary>
    public void Open()
    {
        var first = Path;
        for (var slot = 1; ; slot++)
        {
            try
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
                file = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
                break;
            }
            catch (IOException) when (takeFreeSlot && slot < MaxSlots && File.Exists(Path))
            {
                Path = $"{first}.{slot + 1}";
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException(
                    $"events.journal_path '{Path}' cannot be opened ({e.Message}); give each server a journal file of its own in a writable folder.", e);
            }
        }

        Recover();
    }

    /// <summary>
    /// Appends <paramref name="events"/> as one record and flushes it to disk; false, with why in <paramref name="refusal"/>,
    /// when it would pass <see cref="MaxBytes"/> or the disk refuses it (nothing of it is kept then).
    /// </summary>
    public bool TryAppend(IReadOnlyList<ExperimentEvent> events, out string? refusal)
    {
        var stream = file ?? throw new InvalidOperationException("The journal is not open.");
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var record = Encode(events, now);
        if (end + record.Length > MaxBytes)
        {
            refusal = $"the journal is full ({end} of {MaxBytes} bytes, events.journal_max_bytes)";
            return false;
        }

        try
        {
            stream.Position = end;
            stream.Write(record);
            stream.Flush(flushToDisk: true);
        }
        catch (IOException e)
        {
            // A full disk: cut the partial record off, so the next append starts at a record boundary.
            LogAppendFailed(logger, Path, e);
            TryCut(stream, end);
            refusal = "the journal's disk refuses writes (is it full?)";
            return false;
        }

        if (Volatile.Read(ref held) == 0)
        {
            Volatile.Write(ref oldestMs, now);
        }

        Volatile.Write(ref end, end + record.Length);
        Interlocked.Add(ref held, events.Count);
        refusal = null;
        return true;
    }

    /// <summary>
    /// The oldest records not yet replayed, in order, as many whole records as fit in <paramref name="maxEvents"/> (at
    /// least one); false when none is held. Throws <see cref="InvalidDataException"/> for a record whose events cannot be
    /// read (then <see cref="Advance"/> skips it alone).
    /// </summary>
    public bool TryPeek(int maxEvents, out List<ExperimentEvent> events)
    {
        events = [];
        if (file is null || head >= end)
        {
            return false;
        }

        var (position, count) = (head, 0);
        var header = new byte[HeaderBytes + PrefixBytes];
        while (position < end)
        {
            ReadExactly(position, header);
            var length = BinaryPrimitives.ReadInt32LittleEndian(header);
            var records = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(HeaderBytes + 8));
            if (count > 0 && count + records > maxEvents)
            {
                break;
            }

            var body = new byte[length - PrefixBytes];
            ReadExactly(position + HeaderBytes + PrefixBytes, body);
            List<ExperimentEvent> decoded;
            try
            {
                decoded = Decode(body, records);
            }
            catch (InvalidDataException) when (count > 0)
            {
                // Replay the good records before it; the bad one comes first next time, alone.
                break;
            }
            finally
            {
                if (count == 0)
                {
                    peeked = (position + HeaderBytes + length, records);
                }
            }

            position += HeaderBytes + length;
            count += records;
            peeked = (position, count);
            events.AddRange(decoded);
        }

        return true;
    }

    /// <summary>Marks the records last peeked as replayed; the file is emptied once none is left.</summary>
    public void Advance()
    {
        var (next, count) = peeked ?? throw new InvalidOperationException("Advance follows TryPeek.");
        peeked = null;
        head = next;
        Interlocked.Add(ref held, -count);
        if (head < end)
        {
            var prefix = new byte[PrefixBytes];
            ReadExactly(head + HeaderBytes, prefix);
            Volatile.Write(ref oldestMs, BinaryPrimitives.ReadInt64LittleEndian(prefix));
            return;
        }

        file!.SetLength(0);
        file.Flush(flushToDisk: true);
        head = 0;
        Volatile.Write(ref end, 0);
        Volatile.Write(ref oldestMs, -1);
    }

    /// <inheritdoc />
    public void Dispose() => file?.Dispose();

    /// <summary>One record of <paramref name="events"/>, spooled at <paramref name="spooledAtMs"/>.</summary>
    internal static byte[] Encode(IReadOnlyList<ExperimentEvent> events, long spooledAtMs)
    {
        var lines = new ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(lines, new System.Text.Json.JsonWriterOptions { Encoder = EventLineWriter.Encoder }))
        {
            foreach (var e in events)
            {
                EventLineWriter.Write(writer, e);
                writer.Flush();
                writer.Reset();
                lines.Write("\n"u8);
            }
        }

        var record = new byte[HeaderBytes + PrefixBytes + lines.WrittenCount];
        var length = PrefixBytes + lines.WrittenCount;
        BinaryPrimitives.WriteInt32LittleEndian(record, length);
        BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(HeaderBytes), spooledAtMs);
        BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(HeaderBytes + 8), events.Count);
        lines.WrittenSpan.CopyTo(record.AsSpan(HeaderBytes + PrefixBytes));
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), Checksum(record));
        return record;
    }

    private static uint Checksum(ReadOnlySpan<byte> record)
    {
        var crc = new Crc32();
        crc.Append(record[..4]);
        crc.Append(record[HeaderBytes..]);
        return crc.GetCurrentHashAsUInt32();
    }

    private static List<ExperimentEvent> Decode(byte[] lines, int count)
    {
        var events = new List<ExperimentEvent>(count);
        var rest = lines.AsSpan();
        try
        {
            while (rest.Length > 0)
            {
                var newline = rest.IndexOf((byte)'\n');
                var line = newline < 0 ? rest : rest[..newline];
                events.Add(EventLineParser.Parse(line, events.Count + 1));
                rest = newline < 0 ? [] : rest[(newline + 1)..];
            }
        }
        catch (EventFormatException e)
        {
            throw new InvalidDataException($"A journal record of {count} events cannot be read: {e.Message}", e);
        }

        return events.Count == count ? events : throw new InvalidDataException($"A journal record says {count} events and holds {events.Count}.");
    }

    private void Recover()
    {
        var stream = file!;
        var length = stream.Length;
        var position = 0L;
        var header = new byte[HeaderBytes];
        while (position < length)
        {
            var left = length - position;
            var size = left >= HeaderBytes ? ReadHeader(position, header) : -1;
            if (size < PrefixBytes || size > left - HeaderBytes)
            {
                // A header cut short or a length beyond the end: the last append was torn by a crash.
                LogTorn(logger, Path, left);
                break;
            }

            var record = new byte[HeaderBytes + size];
            ReadExactly(position, record);
            if (BinaryPrimitives.ReadUInt32LittleEndian(record.AsSpan(4)) != Checksum(record))
            {
                if (position + record.Length == length)
                {
                    LogTorn(logger, Path, left);
                }
                else
                {
                    SetAside(position, length);
                }

                break;
            }

            if (held == 0)
            {
                oldestMs = BinaryPrimitives.ReadInt64LittleEndian(record.AsSpan(HeaderBytes));
            }

            held += BinaryPrimitives.ReadInt32LittleEndian(record.AsSpan(HeaderBytes + 8));
            position += record.Length;
        }

        if (position < length)
        {
            stream.SetLength(position);
            stream.Flush(flushToDisk: true);
        }

        end = position;
        if (held > 0)
        {
            LogRecovered(logger, held, Path, end);
        }
    }

    private int ReadHeader(long position, byte[] header)
    {
        ReadExactly(position, header);
        var size = BinaryPrimitives.ReadUInt32LittleEndian(header);
        return size > int.MaxValue - HeaderBytes ? -1 : (int)size;
    }

    private void SetAside(long from, long length)
    {
        var aside = $"{Path}.corrupt-{time.GetUtcNow().ToUnixTimeMilliseconds()}";
        using (var copy = new FileStream(aside, FileMode.CreateNew, FileAccess.Write))
        {
            file!.Position = from;
            file.CopyTo(copy);
            copy.Flush(flushToDisk: true);
        }

        LogCorrupt(logger, Path, from, length - from, aside);
    }

    private void ReadExactly(long position, byte[] buffer)
    {
        file!.Position = position;
        file.ReadExactly(buffer);
    }

    private void TryCut(FileStream stream, long length)
    {
        try
        {
            stream.SetLength(length);
        }
        catch (IOException e)
        {
            // Recovery at the next start cuts a torn record off; meanwhile the next append overwrites it.
            LogAppendFailed(logger, Path, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Appending to the event journal '{Path}' failed; events that cannot be kept are refused (503).")]
    private static partial void LogAppendFailed(ILogger logger, string path, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The event journal '{Path}' ended with a torn record ({Bytes} bytes, an append cut short by a crash); it is cut off (its events had not counted as safe).")]
    private static partial void LogTorn(ILogger logger, string path, long bytes);

    [LoggerMessage(Level = LogLevel.Error, Message = "The event journal '{Path}' is damaged at byte {Offset}: the {Bytes} bytes from there were moved to '{Aside}' and are not replayed.")]
    private static partial void LogCorrupt(ILogger logger, string path, long offset, long bytes, string aside);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} events held in the event journal '{Path}' ({Bytes} bytes) are replayed to the store.")]
    private static partial void LogRecovered(ILogger logger, long count, string path, long bytes);
}
