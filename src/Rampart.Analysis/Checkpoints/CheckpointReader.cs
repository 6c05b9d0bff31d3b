using System.Runtime.InteropServices;
using System.Text;
using Rampart.Analysis.Aggregation;

namespace Rampart.Analysis.Checkpoints;

/// <summary>
/// Reads what <see cref="CheckpointWriter"/> wrote. Anything that cannot be what a writer wrote (a length out of range, an
/// invalid value) throws <see cref="CheckpointFormatException"/>; a truncated stream throws <see cref="EndOfStreamException"/>.
/// Either way the checkpoint is refused as a whole and results are rebuilt from the events instead, never read half-right.
/// </summary>
public sealed class CheckpointReader : IDisposable
{
    /// <summary>The most elements any one array or set of a checkpoint may hold.</summary>
    public const int MaxLength = 1 << 30;

    private readonly BinaryReader reader;
    private readonly long length;

    /// <summary>
    /// A reader of the <paramref name="length"/> bytes of <paramref name="stream"/> from its current position, left open
    /// when this reader is disposed. No count read may promise more than the bytes left, so a damaged count can never
    /// make it allocate more than the checkpoint's own size.
    /// </summary>
    public CheckpointReader(Stream stream, long length)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        this.length = stream.Position + length;
    }

    /// <summary>The reader underneath, for types outside Rampart.Analysis (Rampart.Stats' sketches).</summary>
    public BinaryReader Binary => reader;

    /// <summary>Reads a 32-bit integer.</summary>
    public int ReadInt32() => reader.ReadInt32();

    /// <summary>Reads a 64-bit integer.</summary>
    public long ReadInt64() => reader.ReadInt64();

    /// <summary>Reads an unsigned 64-bit integer.</summary>
    public ulong ReadUInt64() => reader.ReadUInt64();

    /// <summary>Reads a double.</summary>
    public double ReadDouble() => reader.ReadDouble();

    /// <summary>Reads a boolean.</summary>
    public bool ReadBoolean() => reader.ReadBoolean();

    /// <summary>Reads a string.</summary>
    public string ReadString() => reader.ReadString();

    /// <summary>Reads a string or null.</summary>
    public string? ReadNullableString() => ReadBoolean() ? ReadString() : null;

    /// <summary>Reads a double or null.</summary>
    public double? ReadNullableDouble() => ReadBoolean() ? ReadDouble() : null;

    /// <summary>Reads a key.</summary>
    public EventKey ReadKey() => new(ReadUInt64());

    /// <summary>Reads a key or null.</summary>
    public EventKey? ReadNullableKey() => ReadBoolean() ? ReadKey() : null;

    /// <summary>Reads a count written before a collection: between 0 and <paramref name="max"/>.</summary>
    public int ReadCount(int max = MaxLength)
    {
        var count = ReadInt32();
        return count >= 0 && count <= max && count <= Remaining
            ? count
            : throw new CheckpointFormatException($"A length of {count} is out of range [0, {Math.Min(max, Remaining)}].");
    }

    /// <summary>Reads an array of plain structs written by <see cref="CheckpointWriter.WriteSpan{T}"/>.</summary>
    public T[] ReadArray<T>()
        where T : unmanaged
    {
        var length = ReadCount();
        if ((long)length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>() > Remaining)
        {
            throw new CheckpointFormatException($"An array of {length} values is longer than the {Remaining} bytes left.");
        }

        var values = GC.AllocateUninitializedArray<T>(length);
        var bytes = MemoryMarshal.AsBytes(values.AsSpan());
        var stream = reader.BaseStream;
        while (bytes.Length > 0)
        {
            var read = stream.Read(bytes);
            if (read == 0)
            {
                throw new CheckpointFormatException("The checkpoint ends in the middle of an array.");
            }

            bytes = bytes[read..];
        }

        return values;
    }

    // Every element read takes at least one byte.
    private long Remaining => length - reader.BaseStream.Position;

    /// <summary>Throws unless <paramref name="condition"/> holds: a value a writer could not have written.</summary>
    public static void Check(bool condition, string problem)
    {
        if (!condition)
        {
            throw new CheckpointFormatException(problem);
        }
    }

    /// <inheritdoc />
    public void Dispose() => reader.Dispose();
}
