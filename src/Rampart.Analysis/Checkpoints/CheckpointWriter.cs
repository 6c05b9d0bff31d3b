using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using Rampart.Analysis.Aggregation;

namespace Rampart.Analysis.Checkpoints;

/// <summary>
/// Writes aggregates' internal state in Rampart's checkpoint format (docs/storage.md, "Checkpoints"): little-endian
/// numbers, length-prefixed UTF-8 strings, arrays of plain structs as their bytes. Every aggregate writes all the state
/// its future answers depend on, including the layout of its hash tables, so a restored aggregate answers byte for byte
/// as the one written, and keeps doing so after more events.
/// </summary>
public sealed class CheckpointWriter : IDisposable
{
    private readonly BinaryWriter writer;

    /// <summary>A writer onto <paramref name="stream"/>, left open when this writer is disposed.</summary>
    public CheckpointWriter(Stream stream) => writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);

    /// <summary>The writer underneath, for types outside Rampart.Analysis (Rampart.Stats' sketches).</summary>
    public BinaryWriter Binary => writer;

    /// <summary>Writes a 32-bit integer.</summary>
    public void Write(int value) => writer.Write(value);

    /// <summary>Writes a 64-bit integer.</summary>
    public void Write(long value) => writer.Write(value);

    /// <summary>Writes an unsigned 64-bit integer.</summary>
    public void Write(ulong value) => writer.Write(value);

    /// <summary>Writes a double, bit for bit.</summary>
    public void Write(double value) => writer.Write(value);

    /// <summary>Writes a boolean.</summary>
    public void Write(bool value) => writer.Write(value);

    /// <summary>Writes a string (never null).</summary>
    public void Write(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        writer.Write(value);
    }

    /// <summary>Writes a string or null.</summary>
    public void WriteNullable(string? value)
    {
        writer.Write(value is not null);
        if (value is not null)
        {
            writer.Write(value);
        }
    }

    /// <summary>Writes a double or null.</summary>
    public void WriteNullable(double? value)
    {
        writer.Write(value.HasValue);
        if (value is { } v)
        {
            writer.Write(v);
        }
    }

    /// <summary>Writes a key.</summary>
    public void Write(EventKey key) => writer.Write(key.Value);

    /// <summary>Writes a key or null.</summary>
    public void WriteNullable(EventKey? key)
    {
        writer.Write(key.HasValue);
        if (key is { } k)
        {
            writer.Write(k.Value);
        }
    }

    /// <summary>Writes the bytes of a span of plain structs, after its length.</summary>
    public void WriteSpan<T>(ReadOnlySpan<T> values)
        where T : unmanaged
    {
        writer.Write(values.Length);
        writer.Write(MemoryMarshal.AsBytes(values));
    }

    /// <summary>Writes a set of keys (its members, as one array; a set's order does not matter to anything that reads it).</summary>
    public void Write(HashSet<EventKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var array = ArrayPool<EventKey>.Shared.Rent(keys.Count);
        keys.CopyTo(array);
        WriteSpan<EventKey>(array.AsSpan(0, keys.Count));
        ArrayPool<EventKey>.Shared.Return(array);
    }

    /// <summary>Writes each unit's sum and count (as one array), for <see cref="CheckpointReader.ReadUnitSums"/>.</summary>
    public void Write(Dictionary<EventKey, (double Sum, long Count)> units)
    {
        ArgumentNullException.ThrowIfNull(units);
        var array = ArrayPool<UnitSum>.Shared.Rent(units.Count);
        var n = 0;
        foreach (var (key, (sum, count)) in units)
        {
            array[n++] = new UnitSum(key, sum, count);
        }

        WriteSpan<UnitSum>(array.AsSpan(0, n));
        ArrayPool<UnitSum>.Shared.Return(array);
    }

    /// <inheritdoc />
    public void Dispose() => writer.Dispose();

    /// <summary>One unit's sum and count as written.</summary>
    internal readonly record struct UnitSum(EventKey Key, double Sum, long Count);
}
