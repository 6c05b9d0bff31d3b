using System.Text.Json.Serialization;

namespace Rampart.Analysis.Results;

/// <summary>Source-generated (reflection-free) JSON for the results document: snake_case names, nulls written as null.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(ResultsDocument))]
internal sealed partial class ResultsJsonContext : JsonSerializerContext;
