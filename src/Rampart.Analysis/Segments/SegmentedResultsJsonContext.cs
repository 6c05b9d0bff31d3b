using System.Text.Json.Serialization;

namespace Rampart.Analysis.Segments;

/// <summary>Source-generated (reflection-free) JSON of per-segment results: snake_case names, as the results document's.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SegmentedResults))]
internal sealed partial class SegmentedResultsJsonContext : JsonSerializerContext;
