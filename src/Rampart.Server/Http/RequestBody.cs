using System.Buffers;
using System.IO.Pipelines;

namespace Rampart.Server.Http;

/// <summary>Reads a request body whole, refusing one over the configured limit (<c>server.max_body_bytes</c>) without reading it all.</summary>
internal static class RequestBody
{
    /// <summary>The body's bytes, or null when it is over <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        var reader = request.BodyReader;
        while (true)
        {
            ReadResult read;
            try
            {
                read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return null;
            }

            var buffer = read.Buffer;
            if (buffer.Length > maxBytes)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                return null;
            }

            if (read.IsCompleted || read.IsCanceled)
            {
                var bytes = buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return bytes;
            }

            // Nothing consumed, everything examined: the next read returns the whole body so far plus what arrived.
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>413, naming the limit.</summary>
    public static IResult TooLarge(long maxBytes) =>
        ApiProblems.Status(StatusCodes.Status413PayloadTooLarge, "The body is too large.", "body",
            $"'body' is over {maxBytes} bytes (server.max_body_bytes); send smaller batches.");
}
