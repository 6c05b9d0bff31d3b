using Rampart.Analysis.Monitoring;
using Rampart.Stats.Ratios;

namespace Rampart.Analysis.Tests.Monitoring;

public sealed class ScoreUnitsTests
{
    [Fact]
    public void PerUnit_Incremental_EqualsTheSumsOfTheFinalPerUnitTotals()
    {
        // Reference: per-unit totals computed at the end (latest value per request), then summed in one pass.
        var random = new Random(9);
        var sut = new ScoreUnits();
        var latest = new Dictionary<string, (string Unit, double Value)>();
        for (var i = 0; i < 5_000; i++)
        {
            var unit = $"u{random.Next(400)}";
            var request = random.NextDouble() < 0.1 && latest.Count > 0 ? latest.Keys.ElementAt(random.Next(latest.Count)) : $"r{i}";
            unit = latest.TryGetValue(request, out var earlier) ? earlier.Unit : unit;
            var value = random.Next(2);
            sut.Add(unit, request, value);
            latest[request] = (unit, value);
        }

        var reference = default(RatioAccumulator);
        foreach (var group in latest.Values.GroupBy(v => v.Unit))
        {
            reference = reference.Add(group.Sum(v => v.Value), group.Count());
        }

        var incremental = sut.PerUnit().ToEstimate();
        var expected = reference.ToEstimate();
        Assert.Equal(latest.Count, sut.Count);
        Assert.Equal(expected.Ratio!.Value, incremental.Ratio!.Value, 12);
        Assert.Equal(expected.Variance!.Value, incremental.Variance!.Value, 12);
        Assert.True(sut.IsBinary);
    }
}
