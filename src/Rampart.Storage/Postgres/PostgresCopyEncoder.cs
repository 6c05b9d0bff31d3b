using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Rampart.Storage.Postgres;

/// <summary>
/// Rows in PostgreSQL's binary COPY format (the <c>PGCOPY</c> header, then per row a field count and per field a length
/// and its bytes, then a trailer), encoded into a pooled buffer that <see cref="FlushAsync"/> hands to a raw COPY stream
/// in large writes. Used instead of Npgsql's <c>NpgsqlBinaryImporter</c>, whose per-value binding was about a sixth of
/// the writing server's CPU (perf, docs/benchmarks.md); the encodings are PostgreSQL's binary send formats, as Npgsql
/// writes them, except that text is written as <see cref="NpgsqlConnectionExtensions.Storable"/> makes it. Not
/// thread-safe; dispose it to return the buffer.
/// </summary>
internal sealed class PostgresCopyEncoder : IDisposable
{
    /// <summary>Encoded bytes above which <see cref="FlushAsync"/> sends them (between rows).</summary>
    public const int FlushAt = 64 * 1024;

    // PGCOPY\n\377\r\n\0, then the flags field and the header extension's length (both 0).
    private static ReadOnlySpan<byte> Header => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 255, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];

    // timestamptz counts microseconds from 2000-01-01 00:00:00 UTC.
    private static readonly long PostgresEpochTicks = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    // Replaces a lone surrogate with U+FFFD, as Storable does (Npgsql's own encoding would throw).
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private byte[] buffer;
    private int length;

    /// <summary>An encoder whose buffer already holds the header.</summary>
    public PostgresCopyEncoder()
    {
        buffer = ArrayPool<byte>.Shared.Rent(FlushAt * 2);
        Header.CopyTo(buffer);
        length = Header.Length;
    }

    /// <summary>Starts a row of <paramref name="fields"/> fields.</summary>
    public void StartRow(short fields)
    {
        BinaryPrimitives.WriteInt16BigEndian(Reserve(2), fields);
    }

    /// <summary>
    /// A <c>text</c> field (UTF-8), or NULL, as <see cref="NpgsqlConnectionExtensions.Storable"/> makes it: NUL characters
    /// and lone surrogates become U+FFFD (the encoder's replacement fallback does the latter).
    /// </summary>
    public void Text(string? value)
    {
        if (value is null)
        {
            Null();
            return;
        }

        // Short text reserves its largest encoding (3 bytes a UTF-16 unit); long text (logged content) counts its bytes
        // first rather than reserve three times its length.
        var span = Reserve(4 + (value.Length <= 4096 ? Utf8.GetMaxByteCount(value.Length) : Utf8.GetByteCount(value)));
        var count = Utf8.GetBytes(value, span[4..]);
        if (span.Slice(4, count).Contains((byte)0))
        {
            // Only U+0000 encodes to a zero byte: give the space back and write the text without it.
            length -= span.Length;
            Text(NpgsqlConnectionExtensions.Storable(value));
            return;
        }

        BinaryPrimitives.WriteInt32BigEndian(span, count);
        length -= span.Length - 4 - count;
    }

    /// <summary>An <c>integer</c> field, or NULL.</summary>
    public void Int32(int? value) => Value(value, 4, static (span, v) => BinaryPrimitives.WriteInt32BigEndian(span, v));

    /// <summary>A <c>bigint</c> field, or NULL.</summary>
    public void Int64(long? value) => Value(value, 8, static (span, v) => BinaryPrimitives.WriteInt64BigEndian(span, v));

    /// <summary>A <c>double precision</c> field, or NULL.</summary>
    public void Float8(double? value) => Value(value, 8, static (span, v) => BinaryPrimitives.WriteDoubleBigEndian(span, v));

    /// <summary>A <c>boolean</c> field, or NULL.</summary>
    public void Boolean(bool? value) => Value(value, 1, static (span, v) => span[0] = v ? (byte)1 : (byte)0);

    /// <summary>
    /// A <c>timestamptz</c> field: microseconds since 2000-01-01 UTC, the ticks below a microsecond dropped (toward zero),
    /// and the largest and smallest <see cref="DateTime"/> as <c>infinity</c> and <c>-infinity</c>, as Npgsql writes them.
    /// </summary>
    public void TimestampTz(DateTimeOffset value)
    {
        var utc = value.UtcDateTime;
        var microseconds = utc == DateTime.MaxValue ? long.MaxValue
            : utc == DateTime.MinValue ? long.MinValue
            : (utc.Ticks - PostgresEpochTicks) / 10;
        BinaryPrimitives.WriteInt64BigEndian(Field(8), microseconds);
    }

    /// <summary>Ends the data: the trailer (a field count of -1).</summary>
    public void Finish() => BinaryPrimitives.WriteInt16BigEndian(Reserve(2), -1);

    /// <summary>
    /// Sends the encoded bytes to <paramref name="stream"/> once there are at least <see cref="FlushAt"/> of them, or
    /// whatever there is when <paramref name="force"/>.
    /// </summary>
    public async ValueTask FlushAsync(Stream stream, bool force, CancellationToken cancellationToken)
    {
        if (length == 0 || (!force && length < FlushAt))
        {
            return;
        }

        await stream.WriteAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        length = 0;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = [];
        length = 0;
    }

    private void Null() => BinaryPrimitives.WriteInt32BigEndian(Reserve(4), -1);

    // A fixed-size value, or NULL.
    private void Value<T>(T? value, int size, SpanAction<byte, T> write)
        where T : struct
    {
        if (value is { } v)
        {
            write(Field(size), v);
        }
        else
        {
            Null();
        }
    }

    // A field of `size` bytes: its length written, its value's bytes returned to be filled.
    private Span<byte> Field(int size)
    {
        var span = Reserve(4 + size);
        BinaryPrimitives.WriteInt32BigEndian(span, size);
        return span[4..];
    }

    // The next `count` bytes of the buffer, counted as encoded (a caller that uses fewer gives the rest back), growing
    // the buffer when they do not fit: one value larger than the buffer (a long logged output) grows it once.
    private Span<byte> Reserve(int count)
    {
        if (buffer.Length - length < count)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, length + count));
            buffer.AsSpan(0, length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = larger;
        }

        var span = buffer.AsSpan(length, count);
        length += count;
        return span;
    }
}
