using Rampart.Analysis.Aggregation;

namespace Rampart.Analysis.Tests;

/// <summary>One simulated variant: its units each send some requests and rate each one (satisfied or not).</summary>
internal sealed record Simulated(string Name, int Units, double Satisfaction = 0.75, double ErrorRate = 0.01, double LatencyMs = 1000, int RequestsPerUnit = 2)
{
    /// <summary>An experiment aggregate of the variants, from a seeded generator.</summary>
    public static ExperimentAggregate Aggregate(int seed, params Simulated[] variants)
    {
        var random = new Random(seed);
        var aggregate = new ExperimentAggregate("sim");
        long sequence = 0;
        foreach (var v in variants)
        {
            var variant = aggregate.GetOrAdd(v.Name);
            for (var u = 0; u < v.Units; u++)
            {
                var unit = EventKey.Of($"{v.Name}-{u}");
                variant.AddExposure(unit);
                for (var r = 0; r < v.RequestsPerUnit; r++)
                {
                    var failed = random.NextDouble() < v.ErrorRate;
                    variant.AddCompletion(unit, v.LatencyMs * (0.7 + (0.6 * random.NextDouble())), failed, 0.01 + (0.001 * random.NextDouble()), 100, 50);
                    if (!failed)
                    {
                        var request = EventKey.Of($"{v.Name}-{u}-{r}");
                        variant.AddFeedback("user_satisfaction", unit, request, sequence, ++sequence, random.NextDouble() < v.Satisfaction ? 1 : 0);
                    }
                }
            }
        }

        return aggregate;
    }
}
