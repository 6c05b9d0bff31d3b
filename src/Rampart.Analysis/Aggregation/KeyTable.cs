using System.Runtime.CompilerServices;
using Rampart.Analysis.Checkpoints;

namespace Rampart.Analysis.Aggregation;

/// <summary>
/// A hash table from <see cref="EventKey"/> to a struct, by open addressing with linear probing over a keys array (eight keys to
/// a cache line). The per-unit and per-request totals see one lookup or insert per event, so this is Rampart's own code,
/// compiled fully optimised from the first call (no tiering through slow code on a one-core machine) and free of the
/// comparer and bucket indirections of a general dictionary.
/// </summary>
/// <typeparam name="TValue">What each key holds.</typeparam>
internal sealed class KeyTable<TValue>
    where TValue : unmanaged
{
    private const int InitialCapacity = 64;
    private ulong[] keys = new ulong[InitialCapacity];
    private TValue[] values = new TValue[InitialCapacity];
    private int shift = 64 - 6;
    private bool hasZero;
    private TValue zero;

    /// <summary>The number of keys.</summary>
    public int Count { get; private set; }

    /// <summary>The value of <paramref name="key"/>, added as <c>default</c> when absent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ref TValue GetOrAdd(EventKey key, out bool existed)
    {
        var k = key.Value;
        if (k == 0)
        {
            existed = hasZero;
            Count += hasZero ? 0 : 1;
            hasZero = true;
            return ref zero;
        }

        // Fibonacci hashing (the top bits of key × 2⁶⁴/φ) spreads even keys that are not hashes, such as small numbers.
        var mask = keys.Length - 1;
        var i = (int)((k * 0x9E3779B97F4A7C15UL) >> shift);
        while (true)
        {
            var found = keys[i];
            if (found == k)
            {
                existed = true;
                return ref values[i];
            }

            if (found == 0)
            {
                break;
            }

            i = (i + 1) & mask;
        }

        existed = false;
        if ((Count + 1) * 4 > keys.Length * 3)
        {
            Grow();
            return ref GetOrAdd(key, out existed);
        }

        keys[i] = k;
        Count++;
        return ref values[i];
    }

    /// <summary>Every key and its value, in no particular order: <c>foreach (var (key, value) in table)</c>.</summary>
    public Enumerator GetEnumerator() => new(this);

    /// <summary>Every key and its value, as a sequence.</summary>
    public IEnumerable<(EventKey Key, TValue Value)> Entries()
    {
        foreach (var entry in this)
        {
            yield return entry;
        }
    }

    /// <summary>Every value, in no particular order.</summary>
    public IEnumerable<TValue> Values() => Entries().Select(e => e.Value);

    /// <summary>Walks the slots without allocating.</summary>
    public struct Enumerator(KeyTable<TValue> table)
    {
        private int index = table.hasZero ? -2 : -1;

        /// <summary>The current key and value.</summary>
        public readonly (EventKey Key, TValue Value) Current =>
            index < 0 ? (new EventKey(0), table.zero) : (new EventKey(table.keys[index]), table.values[index]);

        /// <summary>Moves to the next key.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool MoveNext()
        {
            if (index == -2)
            {
                index = -1;
                return true;
            }

            var keys = table.keys;
            while (++index < keys.Length)
            {
                if (keys[index] != 0)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Writes the table as it is laid out (slot for slot), so a restored table enumerates in the same order.</summary>
    public void Write(CheckpointWriter writer)
    {
        writer.Write(shift);
        writer.Write(hasZero);
        writer.WriteSpan(new ReadOnlySpan<TValue>(in zero));
        writer.WriteSpan<ulong>(keys);
        var occupied = new TValue[Count - (hasZero ? 1 : 0)];
        var n = 0;
        for (var i = 0; i < keys.Length; i++)
        {
            if (keys[i] != 0)
            {
                occupied[n++] = values[i];
            }
        }

        writer.WriteSpan<TValue>(occupied);
    }

    /// <summary>Reads a table <see cref="Write"/> wrote.</summary>
    public static KeyTable<TValue> Read(CheckpointReader reader)
    {
        var shift = reader.ReadInt32();
        var hasZero = reader.ReadBoolean();
        var zero = reader.ReadArray<TValue>();
        var keys = reader.ReadArray<ulong>();
        var occupied = reader.ReadArray<TValue>();
        CheckpointReader.Check(zero.Length == 1 && keys.Length >= InitialCapacity && (keys.Length & (keys.Length - 1)) == 0
            && shift == 64 - System.Numerics.BitOperations.Log2((ulong)keys.Length), "A key table's layout is invalid.");
        var values = new TValue[keys.Length];
        var n = 0;
        for (var i = 0; i < keys.Length; i++)
        {
            if (keys[i] != 0)
            {
                CheckpointReader.Check(n < occupied.Length, "A key table holds more keys than values.");
                values[i] = occupied[n++];
            }
        }

        CheckpointReader.Check(n == occupied.Length && (n + 1) * 4 <= keys.Length * 3 + 4, "A key table's keys and values do not match.");
        return new KeyTable<TValue> { keys = keys, values = values, shift = shift, hasZero = hasZero, zero = zero[0], Count = n + (hasZero ? 1 : 0) };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Grow()
    {
        var oldKeys = keys;
        var oldValues = values;
        keys = new ulong[oldKeys.Length * 2];
        values = new TValue[oldKeys.Length * 2];
        shift--;
        var mask = keys.Length - 1;
        for (var j = 0; j < oldKeys.Length; j++)
        {
            var k = oldKeys[j];
            if (k == 0)
            {
                continue;
            }

            var i = (int)((k * 0x9E3779B97F4A7C15UL) >> shift);
            while (keys[i] != 0)
            {
                i = (i + 1) & mask;
            }

            keys[i] = k;
            values[i] = oldValues[j];
        }
    }
}
