using Rampart.Analysis.Aggregation;

namespace Rampart.Analysis.Segments;

/// <summary>One segment to analyse: its name, units, the attribute values it holds and its events.</summary>
internal sealed record PooledSegment(string Name, long Units, IReadOnlyList<string> Values, ExperimentAggregate Aggregate);
