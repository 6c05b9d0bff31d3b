using Rampart.Analysis.Results;

namespace Rampart.Analysis.Tests;

/// <summary>Every sentence of a recommendation: its deciding reasons, then its details.</summary>
internal static class RecommendationText
{
    public static List<string> All(this Recommendation recommendation) => [.. recommendation.Reasons, .. recommendation.Details ?? []];
}
