using System.Text.Json.Serialization;

namespace Rampart.Analysis.Results;

/// <summary>Source-generated (reflection-free) reading of the results document: snake_case names, as <see cref="ResultsJsonWriter"/> writes them.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ResultsDocument))]
internal sealed partial class ResultsJsonContext : JsonSerializerContext;
