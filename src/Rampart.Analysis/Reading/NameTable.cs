using System.IO.Hashing;
using System.Runtime.CompilerServices;

namespace Rampart.Analysis.Reading;

/// <summary>
/// Finds the object for a name given as UTF-8 bytes without decoding it: the last hit first, then the first few names by
/// comparison (an experiment has a handful of variants and scores), then by 64-bit hash.
/// </summary>
/// <typeparam name="T">What a name maps to.</typeparam>
internal sealed class NameTable<T>
    where T : class
{
    private const int Scanned = 8;
    private readonly byte[][] firstKeys = new byte[Scanned][];
    private readonly T[] firstValues = new T[Scanned];
    private int firstCount;
    private readonly Dictionary<ulong, (byte[] Key, T Value)> rest = [];
    private byte[]? lastKey;
    private T? lastValue;

    /// <summary>The object of <paramref name="name"/>, or null when it is not in the table.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public T? Find(ReadOnlySpan<byte> name)
    {
        if (lastKey is not null && name.SequenceEqual(lastKey))
        {
            return lastValue;
        }

        for (var i = 0; i < firstCount; i++)
        {
            if (name.SequenceEqual(firstKeys[i]))
            {
                lastKey = firstKeys[i];
                lastValue = firstValues[i];
                return lastValue;
            }
        }

        if (rest.Count > 0 && rest.TryGetValue(XxHash3.HashToUInt64(name), out var entry) && name.SequenceEqual(entry.Key))
        {
            lastKey = entry.Key;
            lastValue = entry.Value;
            return entry.Value;
        }

        return null;
    }

    /// <summary>Remembers <paramref name="value"/> for <paramref name="name"/>; a name whose hash is taken is simply not cached.</summary>
    public void Add(ReadOnlySpan<byte> name, T value)
    {
        if (firstCount < Scanned)
        {
            firstKeys[firstCount] = name.ToArray();
            firstValues[firstCount++] = value;
        }
        else
        {
            rest.TryAdd(XxHash3.HashToUInt64(name), (name.ToArray(), value));
        }
    }
}
