using System.Buffers;

namespace Rampart.Llm.Providers;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> of bytes on an array rented from the shared pool and returned on dispose: a request
/// body written for one call costs no allocation of its own. Not thread-safe; use the written bytes before disposing.
/// </summary>
internal sealed class PooledBufferWriter(int initialSize = 1024) : IBufferWriter<byte>, IDisposable
{
    private byte[] buffer = ArrayPool<byte>.Shared.Rent(initialSize);
    private int written;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => buffer.AsMemory(0, written);

    /// <inheritdoc />
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, buffer.Length - written);
        written += count;
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return buffer.AsMemory(written);
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return buffer.AsSpan(written);
    }

    /// <summary>Returns the array to the pool; the written bytes are gone with it.</summary>
    public void Dispose()
    {
        var rented = buffer;
        buffer = [];
        written = 0;
        if (rented.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private void Ensure(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (buffer.Length - written >= needed)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, written + needed));
        buffer.AsSpan(0, written).CopyTo(larger);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        buffer = larger;
    }
}
