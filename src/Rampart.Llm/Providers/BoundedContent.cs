namespace Rampart.Llm.Providers;

/// <summary>Reads an upstream's body without ever holding more than a limit of it.</summary>
internal static class BoundedContent
{
    /// <summary>The whole body, or null when it is longer than <paramref name="maxBytes"/> (read no further than that).</summary>
    public static async Task<byte[]?> ReadAsync(HttpContent content, long maxBytes, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > maxBytes)
        {
            return null;
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
            using var body = new MemoryStream();
            var buffer = new byte[16 * 1024];
            while (true)
            {
                // One byte past the limit tells a body of exactly the limit from a longer one.
                var room = (int)Math.Min(buffer.Length, maxBytes + 1 - body.Length);
                var read = await stream.ReadAsync(buffer.AsMemory(0, room), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return (body.ToArray(), true);
                }

                if (body.Length + read > maxBytes)
                {
                    body.Write(buffer, 0, (int)(maxBytes - body.Length));
                    return (body.ToArray(), false);
                }

                body.Write(buffer, 0, read);
            }
        }
    }
}
