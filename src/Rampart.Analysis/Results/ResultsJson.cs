using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text;

namespace Rampart.Analysis.Results;

/// <summary>Writes and reads the results document as JSON (docs/statistics.md): snake_case, invariant numbers, null for what cannot be computed.</summary>
public static class ResultsJson
{
    private static readonly ResultsJsonContext Reader = new(new JsonSerializerOptions(ResultsJsonContext.Default.Options));

    /// <summary>The document as JSON text, indented for humans by default.</summary>
    public static string Serialize(ResultsDocument document, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(document);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options(indented)))
        {
            ResultsJsonWriter.Write(writer, document);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes the document to <paramref name="stream"/> as UTF-8 JSON.</summary>
    public static async Task WriteAsync(Stream stream, ResultsDocument document, bool indented = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        await using var writer = new Utf8JsonWriter(stream, Options(indented));
        ResultsJsonWriter.Write(writer, document);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a results document; throws <see cref="JsonException"/> when the text is not one.</summary>
    public static ResultsDocument Parse(string json) =>
        JsonSerializer.Deserialize(json, Reader.ResultsDocument) ?? throw new JsonException("The JSON text is null, not a results document.");

    // JSON's own escapes only, not HTML's: variant names and reasons stay readable.
    private static JsonWriterOptions Options(bool indented) => new() { Indented = indented, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
