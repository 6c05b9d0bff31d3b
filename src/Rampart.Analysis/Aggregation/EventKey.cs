using System.Buffers;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Text;

namespace Rampart.Analysis.Aggregation;

/// <summary>
/// A unit or request id reduced to 64 bits (XxHash3 of its UTF-8 bytes, seed 0), so aggregates count distinct ids without
/// keeping their strings. Two distinct ids share a key with probability 2⁻⁶⁴; among n distinct ids some pair collides with
/// probability about n²/2⁶⁵ (10⁶ units: 3·10⁻⁸; 10⁸ units: 3·10⁻⁴), and a collision only merges two units' totals.
/// </summary>
/// <param name="Value">The 64-bit hash.</param>
public readonly record struct EventKey(ulong Value)
{
    private const int StackLimit = 256;

    /// <summary>The key of an id given as UTF-8 bytes (as they appear unescaped in a JSON line).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static EventKey Of(ReadOnlySpan<byte> utf8) => new(XxHash3.HashToUInt64(utf8));

    /// <summary>The key of an id given as text; equal to <see cref="Of(ReadOnlySpan{byte})"/> of its UTF-8 encoding.</summary>
    public static EventKey Of(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var length = Encoding.UTF8.GetMaxByteCount(id.Length);
        byte[]? rented = null;
        var buffer = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            return Of(buffer[..Encoding.UTF8.GetBytes(id, buffer)]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
