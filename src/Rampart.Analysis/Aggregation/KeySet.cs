using Rampart.Analysis.Checkpoints;

namespace Rampart.Analysis.Aggregation;

/// <summary>
/// A set of <see cref="EventKey"/>s on a <see cref="KeyTable{TValue}"/>: 9 bytes a slot instead of a hash set's ~24 a
/// member, and written to a checkpoint (and read back) as its arrays, without hashing each member again.
/// </summary>
internal sealed class KeySet
{
    private KeyTable<byte> table = new();

    /// <summary>The number of keys.</summary>
    public int Count => table.Count;

    /// <summary>Adds <paramref name="key"/>; false when it was there already.</summary>
    public bool Add(EventKey key)
    {
        table.GetOrAdd(key, out var existed);
        return !existed;
    }

    /// <summary>Adds every key of <paramref name="other"/>.</summary>
    public void UnionWith(KeySet other)
    {
        foreach (var (key, _) in other.table)
        {
            Add(key);
        }
    }

    /// <summary>Writes the set as it is laid out.</summary>
    public void Write(CheckpointWriter writer) => table.Write(writer);

    /// <summary>Reads a set <see cref="Write"/> wrote.</summary>
    public static KeySet Read(CheckpointReader reader) => new() { table = KeyTable<byte>.Read(reader) };
}
