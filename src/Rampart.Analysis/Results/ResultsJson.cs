using System.Text.Encodings.Web;
using System.Text.Json;

namespace Rampart.Analysis.Results;

/// <summary>Writes and reads the results document as JSON (DESIGN §4): snake_case, invariant numbers, null for what cannot be computed.</summary>
public static class ResultsJson
{
    private static readonly ResultsJsonContext Indented = new(new JsonSerializerOptions(ResultsJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    private static readonly ResultsJsonContext Compact = new(new JsonSerializerOptions(Indented.Options) { WriteIndented = false });

    /// <summary>The document as JSON text, indented for humans by default.</summary>
    public static string Serialize(ResultsDocument document, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(document);
        return JsonSerializer.Serialize(document, (indented ? Indented : Compact).ResultsDocument);
    }

    /// <summary>Writes the document to <paramref name="stream"/> as UTF-8 JSON.</summary>
    public static Task WriteAsync(Stream stream, ResultsDocument document, bool indented = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        return JsonSerializer.SerializeAsync(stream, document, (indented ? Indented : Compact).ResultsDocument, cancellationToken);
    }

    /// <summary>Reads a results document; throws <see cref="JsonException"/> when the text is not one.</summary>
    public static ResultsDocument Parse(string json) =>
        JsonSerializer.Deserialize(json, Compact.ResultsDocument) ?? throw new JsonException("The JSON text is null, not a results document.");
}
