using System.Collections.Immutable;

namespace Rampart.Analysis.Monitoring;

/// <summary>A variant that meets every promotion criterion at this check.</summary>
/// <param name="Variant">Its name.</param>
/// <param name="Score">Its primary score's mean (the highest wins).</param>
/// <param name="Reason">The criteria it meets, with the numbers.</param>
/// <param name="Metrics">The figures behind them.</param>
public sealed record PromotionCandidate(string Variant, double Score, string Reason, ImmutableSortedDictionary<string, double> Metrics);
