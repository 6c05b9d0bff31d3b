using System.Buffers;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Text;

namespace Rampart.Core.Allocation;

/// <summary>
/// Maps a unit to one of <see cref="Weight.TotalBuckets"/> buckets by <see cref="HashVersion.V1"/>:
/// <c>XxHash64(UTF-8(salt + ":" + unit), seed 0) mod 10000</c>. A unit that is not valid UTF-16 (a lone surrogate)
/// is encoded with U+FFFD in its place, as every UTF-8 encoder does.
/// </summary>
public sealed class BucketHasher
{
    private const int StackLimit = 256;
    private readonly byte[] prefix;

    /// <summary>Creates a hasher for <paramref name="salt"/> (an experiment's salt, by default its key).</summary>
    /// <exception cref="ArgumentNullException">when <paramref name="salt"/> is null.</exception>
    public BucketHasher(string salt)
    {
        ArgumentNullException.ThrowIfNull(salt);
        Salt = salt;
        prefix = Encoding.UTF8.GetBytes(salt + ":");
    }

    /// <summary>The salt every unit is hashed with.</summary>
    public string Salt { get; }

    /// <summary>The bucket of <paramref name="unit"/>, in [0, 10000).</summary>
    /// <exception cref="ArgumentNullException">when <paramref name="unit"/> is null.</exception>
    [SkipLocalsInit]
    public int Bucket(string unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        var maxLength = prefix.Length + Encoding.UTF8.GetMaxByteCount(unit.Length);
        if (maxLength <= StackLimit)
        {
            Span<byte> buffer = stackalloc byte[StackLimit];
            return Hash(buffer, unit);
        }

        var rented = ArrayPool<byte>.Shared.Rent(maxLength);
        try
        {
            return Hash(rented, unit);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The bucket of <paramref name="unit"/> under <paramref name="salt"/>; allocates, so keep a hasher on hot paths.</summary>
    public static int Bucket(string salt, string unit) => new BucketHasher(salt).Bucket(unit);

    private int Hash(Span<byte> buffer, string unit)
    {
        prefix.CopyTo(buffer);
        var written = Encoding.UTF8.GetBytes(unit, buffer[prefix.Length..]);
        var hash = XxHash64.HashToUInt64(buffer[..(prefix.Length + written)], 0);
        return (int)(hash % Weight.TotalBuckets);
    }
}
