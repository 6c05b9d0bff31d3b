using Rampart.Analysis.Aggregation;

namespace Rampart.Analysis.Segments;

/// <summary>Keeps the segments with enough units, largest first, and pools the rest into <c>other</c>, last.</summary>
internal static class SegmentPooling
{
    public static List<PooledSegment> Pool(IReadOnlyDictionary<string, ExperimentAggregate> segments, ExperimentAggregate overall, long minUnits)
    {
        var sized = segments
            .Select(s => (Name: s.Key, Units: Units(s.Value), Aggregate: s.Value))
            .OrderByDescending(s => s.Units)
            .ThenBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        var kept = sized.Where(s => s.Units >= minUnits).Select(s => new PooledSegment(s.Name, s.Units, [s.Name], s.Aggregate)).ToList();
        var small = sized.Where(s => s.Units < minUnits).ToList();
        if (small.Count > 0)
        {
            var other = new ExperimentAggregate(overall.Experiment, overall.Mode);
            foreach (var s in small)
            {
                other.Merge(s.Aggregate);
            }

            kept.Add(new PooledSegment(SegmentedAnalyzer.Other, Units(other), [.. small.Select(s => s.Name)], other));
        }

        return kept;
    }

    // As the results document counts them: among exposures when there are any, else among completions.
    private static long Units(ExperimentAggregate aggregate) => aggregate.Variants.Sum(v => v.CountUnits(aggregate.HasExposures));
}
