using System.IO.Hashing;

namespace Rampart.Analysis.Reading;

/// <summary>Finds the object for a name given as UTF-8 bytes without decoding it: the last hit first, then by 64-bit hash.</summary>
/// <typeparam name="T">What a name maps to.</typeparam>
internal sealed class NameTable<T>
    where T : class
{
    private readonly Dictionary<ulong, (byte[] Key, T Value)> entries = [];
    private byte[]? lastKey;
    private T? lastValue;

    /// <summary>The object of <paramref name="name"/>, or null when it is not in the table.</summary>
    public T? Find(ReadOnlySpan<byte> name)
    {
        if (lastKey is not null && name.SequenceEqual(lastKey))
        {
            return lastValue;
        }

        if (entries.TryGetValue(XxHash3.HashToUInt64(name), out var entry) && name.SequenceEqual(entry.Key))
        {
            lastKey = entry.Key;
            lastValue = entry.Value;
            return entry.Value;
        }

        return null;
    }

    /// <summary>Remembers <paramref name="value"/> for <paramref name="name"/>; a name whose hash is taken is simply not cached.</summary>
    public void Add(ReadOnlySpan<byte> name, T value) => entries.TryAdd(XxHash3.HashToUInt64(name), (name.ToArray(), value));
}
