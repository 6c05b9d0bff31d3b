using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Rampart.Core.Events;

/// <summary>
/// Version-7 GUIDs (RFC 9562), as <see cref="Guid.CreateVersion7(DateTimeOffset)"/> makes them: 48 bits of Unix
/// milliseconds, then 74 random bits. The random bits come from a per-thread buffer filled by the cryptographic
/// generator, so an id costs no system call: on Linux <see cref="Guid.NewGuid"/> (and so <c>CreateVersion7</c>) reads
/// <c>/dev/urandom</c> once per id, three system calls for every gateway call.
/// </summary>
public static class TimeOrderedId
{
    private const int RandomBytesPerId = 10;
    private const int BufferBytes = 64 * RandomBytesPerId;

    [ThreadStatic]
    private static byte[]? buffer;

    [ThreadStatic]
    private static int used;

    /// <summary>A new id stamped with <paramref name="timestamp"/>, in its 36-character form.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timestamp"/> is before 1970-01-01 UTC.</exception>
    public static string New(DateTimeOffset timestamp) => NewGuid(timestamp).ToString();

    /// <summary>A new id stamped with <paramref name="timestamp"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timestamp"/> is before 1970-01-01 UTC.</exception>
    public static Guid NewGuid(DateTimeOffset timestamp)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(timestamp.ToUnixTimeMilliseconds(), nameof(timestamp));
        var random = buffer ??= new byte[BufferBytes];
        if (used == 0 || used + RandomBytesPerId > BufferBytes)
        {
            RandomNumberGenerator.Fill(random);
            used = 0;
        }

        var take = random.AsSpan(used, RandomBytesPerId);
        used += RandomBytesPerId;
        return NewGuid(timestamp, take);
    }

    /// <summary>
    /// The id stamped with <paramref name="timestamp"/> whose random bits come from <paramref name="random"/> in order, less the
    /// version and variant bits they give way to: the high nibble of byte 0 and the two high bits of byte 2 are not used.
    /// </summary>
    /// <param name="timestamp">The time in the id's first 48 bits.</param>
    /// <param name="random">Ten bytes: the caller's randomness (seeded, for ids that replay).</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="timestamp"/> is before 1970-01-01 UTC, or <paramref name="random"/> is not ten bytes long.
    /// </exception>
    public static Guid NewGuid(DateTimeOffset timestamp, ReadOnlySpan<byte> random)
    {
        var milliseconds = timestamp.ToUnixTimeMilliseconds();
        ArgumentOutOfRangeException.ThrowIfNegative(milliseconds, nameof(timestamp));
        ArgumentOutOfRangeException.ThrowIfNotEqual(random.Length, RandomBytesPerId, nameof(random));
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(bytes, milliseconds << 16);
        random.CopyTo(bytes[6..]);
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }
}
