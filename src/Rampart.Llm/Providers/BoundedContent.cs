using System.Buffers;

namespace Rampart.Llm.Providers;

/// <summary>
/// Reads an upstream's body without ever holding more than a limit of it. A body of known length is read straight into an
/// array of that length; one of unknown length through a pooled buffer, so a call allocates only the body itself.
/// </summary>
internal static class BoundedContent
{
    private const int ChunkSize = 16 * 1024;

    /// <summary>The whole body, or null when it is longer than <paramref name="maxBytes"/> (read no further than that).</summary>
    public static async Task<byte[]?> ReadAsync(HttpContent content, long maxBytes, CancellationToken cancellationToken)
    {
        var length = content.Headers.ContentLength;
        if (length > maxBytes)
        {
            return null;
        }

        if (length is { } known)
        {
            return await ReadKnownLengthAsync(content, (int)known, cancellationToken).ConfigureAwait(false);
        }

        var (body, complete) = await ReadPrefixAsync(content, maxBytes, cancellationToken).ConfigureAwait(false);
        return complete ? body : null;
    }

    /// <summary>At most <paramref name="maxBytes"/> of the body, and whether that was all of it.</summary>
    public static async Task<(byte[] Body, bool Complete)> ReadPrefixAsync(HttpContent content, long maxBytes, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
            var length = 0;
            try
            {
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        buffer = Grow(buffer, length);
                    }

                    // One byte past the limit tells a body of exactly the limit from a longer one.
                    var room = (int)Math.Min(buffer.Length - length, maxBytes + 1 - length);
                    var read = await stream.ReadAsync(buffer.AsMemory(length, room), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return (buffer.AsSpan(0, length).ToArray(), true);
                    }

                    if (length + read > maxBytes)
                    {
                        return (buffer.AsSpan(0, (int)maxBytes).ToArray(), false);
                    }

                    length += read;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    // The response stream of a body with a Content-Length ends there (HttpClient enforces it), so the array is exact.
    private static async Task<byte[]> ReadKnownLengthAsync(HttpContent content, int length, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var body = new byte[length];
            await stream.ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false);
            return body;
        }
    }

    private static byte[] Grow(byte[] buffer, int length)
    {
        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
        buffer.AsSpan(0, length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }
}
