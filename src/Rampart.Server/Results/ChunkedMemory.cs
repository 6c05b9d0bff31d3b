namespace Rampart.Server.Results;

/// <summary>
/// A write-only stream that keeps what is written in chunks of <see cref="ChunkSize"/> bytes, so a checkpoint of any size
/// is held without one huge array (and stored a chunk to a row); <see cref="OpenRead"/> reads chunks back as one stream.
/// </summary>
internal sealed class ChunkedMemory : Stream
{
    /// <summary>The size of each chunk but the last.</summary>
    public const int ChunkSize = 8 << 20;

    private readonly List<byte[]> chunks = [];
    private int used = ChunkSize;
    private long length;

    /// <summary>The chunks written, the last one trimmed to its length.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Chunks =>
        [.. chunks.Select((chunk, i) => new ReadOnlyMemory<byte>(chunk, 0, i == chunks.Count - 1 ? used : ChunkSize))];

    /// <inheritdoc />
    public override bool CanRead => false;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => true;

    /// <inheritdoc />
    public override long Length => length;

    /// <inheritdoc />
    public override long Position { get => length; set => throw new NotSupportedException(); }

    /// <summary>A stream reading <paramref name="chunks"/> one after the other.</summary>
    public static Stream OpenRead(IReadOnlyList<byte[]> chunks) => new ChunkReader(chunks);

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            if (used == ChunkSize)
            {
                chunks.Add(GC.AllocateUninitializedArray<byte>(ChunkSize));
                used = 0;
            }

            var n = Math.Min(buffer.Length, ChunkSize - used);
            buffer[..n].CopyTo(chunks[^1].AsSpan(used));
            used += n;
            length += n;
            buffer = buffer[n..];
        }
    }

    /// <inheritdoc />
    public override void WriteByte(byte value) => Write([value]);

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    private sealed class ChunkReader(IReadOnlyList<byte[]> chunks) : Stream
    {
        private int chunk;
        private int offset;
        private long position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            while (chunk < chunks.Count && offset == chunks[chunk].Length)
            {
                (chunk, offset) = (chunk + 1, 0);
            }

            if (chunk == chunks.Count)
            {
                return 0;
            }

            var n = Math.Min(buffer.Length, chunks[chunk].Length - offset);
            chunks[chunk].AsSpan(offset, n).CopyTo(buffer);
            (offset, position) = (offset + n, position + n);
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
