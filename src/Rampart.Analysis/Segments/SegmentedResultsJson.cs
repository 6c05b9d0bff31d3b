using System.Text.Encodings.Web;
using System.Text.Json;

namespace Rampart.Analysis.Segments;

/// <summary>Writes and reads <see cref="SegmentedResults"/> as JSON: snake_case, invariant numbers, null for what cannot be computed.</summary>
public static class SegmentedResultsJson
{
    // JSON's own escapes only, not HTML's, as the results document: segment names and reasons stay readable.
    private static readonly SegmentedResultsJsonContext Compact = new(new JsonSerializerOptions(SegmentedResultsJsonContext.Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    private static readonly SegmentedResultsJsonContext Indented = new(new JsonSerializerOptions(SegmentedResultsJsonContext.Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true });

    /// <summary>The results as JSON text, indented for humans by default.</summary>
    public static string Serialize(SegmentedResults results, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(results);
        return JsonSerializer.Serialize(results, (indented ? Indented : Compact).SegmentedResults);
    }

    /// <summary>Reads per-segment results; throws <see cref="JsonException"/> when the text is not one.</summary>
    public static SegmentedResults Parse(string json) =>
        JsonSerializer.Deserialize(json, Compact.SegmentedResults) ?? throw new JsonException("The JSON text is null, not per-segment results.");
}
