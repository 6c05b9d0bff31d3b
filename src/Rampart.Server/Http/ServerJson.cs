using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Rampart.Server.Http;

/// <summary>Writes JSON answers by hand where their shape is fixed (docs/api.md: snake_case, ISO timestamps, no HTML escaping).</summary>
internal static class ServerJson
{
    /// <summary>The writer options every answer uses.</summary>
    public static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A 200 (or <paramref name="status"/>) answer written by <paramref name="write"/>.</summary>
    public static IResult Result(Action<Utf8JsonWriter> write, int status = StatusCodes.Status200OK) =>
        new JsonBytesResult(Bytes(write), status);

    /// <summary>A 200 answer written by <paramref name="write"/> with its <c>ETag</c>, or a 304 when the request holds it (<see cref="EntityTags"/>).</summary>
    public static IResult TaggedResult(HttpContext context, Action<Utf8JsonWriter> write) => EntityTags.Result(context, Bytes(write));

    private static byte[] Bytes(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }

        return buffer.WrittenMemory.ToArray();
    }
}
