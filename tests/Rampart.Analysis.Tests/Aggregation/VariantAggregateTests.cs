using Rampart.Analysis.Aggregation;
using Rampart.Stats.Descriptive;

namespace Rampart.Analysis.Tests.Aggregation;

public sealed class VariantAggregateTests
{
    [Fact]
    public void AddCompletion_Failed_CountsButStaysOutOfLatency()
    {
        var sut = new VariantAggregate("v");
        sut.AddCompletion(EventKey.Of("u1"), 100, failed: false, 0.01, 10, 5);
        sut.AddCompletion(EventKey.Of("u1"), 99999, failed: true, 0.02, 10, null);

        Assert.Equal(2, sut.Requests);
        Assert.Equal(1, sut.Errors);
        Assert.Equal(1, sut.Latency.Count);
        Assert.Equal(100, sut.LatencyQuantile(0.99));
        Assert.Equal(0.015, sut.Cost.Mean!.Value, 12);
        Assert.Equal(20, sut.PromptTokens);
        Assert.Equal(5, sut.CompletionTokens);
    }

    [Theory]
    [InlineData(1e200, null, null)]
    [InlineData(-1.0, null, null)]
    [InlineData(double.NaN, null, null)]
    [InlineData(5.0, 1e200, null)]
    [InlineData(5.0, null, long.MaxValue)]
    public void AddCompletion_NumberOutOfRange_ThrowsAndRecordsNothing(double latencyMs, double? costUsd, long? promptTokens)
    {
        var sut = new VariantAggregate("v");
        sut.AddCompletion(EventKey.Of("u1"), 100, failed: false, 0.01, 10, 5);

        Assert.Throws<ArgumentOutOfRangeException>(() => sut.AddCompletion(EventKey.Of("u2"), latencyMs, false, costUsd, promptTokens, null));

        Assert.Equal((1L, 10L, 1L, 100.0, 0.01), (sut.Requests, sut.PromptTokens, sut.CountUnits(fromExposures: false), sut.Latency.Mean!.Value, sut.CostTotal));
    }

    [Fact]
    public void AddCompletion_ManyCompletionsAtTheTokenLimit_SumsWithoutWrapping()
    {
        var sut = new VariantAggregate("v", QuantileMode.Sketch);
        for (var i = 0; i < 20; i++)
        {
            sut.AddCompletion(EventKey.Of("u"), 1, false, null, 1_000_000_000, 1_000_000_000);
        }

        var merged = new VariantAggregate("v", QuantileMode.Sketch);
        merged.Merge(sut);
        merged.Merge(sut);

        Assert.Equal(20_000_000_000L, sut.PromptTokens);
        Assert.Equal((40_000_000_000L, 40_000_000_000L), (merged.PromptTokens, merged.CompletionTokens));
    }

    [Fact]
    public void AddExposure_SameUnitTwice_OneUnit()
    {
        var sut = new VariantAggregate("v");
        sut.AddExposure(EventKey.Of("u1"));
        sut.AddExposure(EventKey.Of("u1"));

        Assert.Equal(2, sut.Exposures);
        Assert.Equal(1, sut.CountUnits(fromExposures: true));
    }

    [Theory]
    [InlineData(QuantileMode.Exact)]
    [InlineData(QuantileMode.Sketch)]
    public void CountSlowerThan_SkewedLatencies_MatchesCountOfValuesAbove(QuantileMode mode)
    {
        var random = new Random(7);
        var values = Enumerable.Range(0, 5000).Select(_ => Math.Round(200 + (3000 * Math.Pow(random.NextDouble(), 3)))).ToArray();
        var sut = new VariantAggregate("v", mode);
        foreach (var value in values)
        {
            sut.AddCompletion(EventKey.Of("u"), value, false, null, null, null);
        }

        foreach (var threshold in new[] { 150.0, 400, 1000, 1000.5, 2500, 3200, 5000 })
        {
            var exact = values.Count(v => v > threshold);
            var counted = sut.CountSlowerThan(threshold);
            if (mode == QuantileMode.Exact)
            {
                Assert.Equal(exact, counted);
            }
            else
            {
                // The sketch places each value within 1%: only values within 1% of the threshold can land on the wrong side.
                var near = values.Count(v => Math.Abs(v - threshold) <= 0.011 * threshold);
                Assert.InRange(counted, exact - near - 1, exact + near + 1);
            }
        }
    }

    [Fact]
    public void LatencyQuantile_SketchMode_WithinOnePercentOfExact()
    {
        var random = new Random(11);
        var exact = new VariantAggregate("v");
        var sketch = new VariantAggregate("v", QuantileMode.Sketch);
        for (var i = 0; i < 20_000; i++)
        {
            var latency = 300 * Math.Exp(random.NextDouble() * 3);
            exact.AddCompletion(EventKey.Of("u"), latency, false, null, null, null);
            sketch.AddCompletion(EventKey.Of("u"), latency, false, null, null, null);
        }

        foreach (var q in new[] { 0.5, 0.95, 0.99 })
        {
            var expected = exact.LatencyQuantile(q)!.Value;
            Assert.InRange(sketch.LatencyQuantile(q)!.Value, expected * 0.99, expected * 1.01);
        }
    }

    [Fact]
    public void PerUnit_Latency_SumsSuccessfulRequestsPerUnit()
    {
        var sut = new VariantAggregate("v");
        sut.AddCompletion(EventKey.Of("u1"), 100, false, null, null, null);
        sut.AddCompletion(EventKey.Of("u1"), 300, false, null, null, null);
        sut.AddCompletion(EventKey.Of("u2"), 500, true, null, null, null);
        sut.AddCompletion(EventKey.Of("u3"), 600, false, null, null, null);

        var latency = sut.PerUnit(UnitMetric.Latency);
        var errors = sut.PerUnit(UnitMetric.ErrorRate);

        Assert.Equal(2, latency.Units);
        Assert.Equal(1000, latency.SumOfValues);
        Assert.Equal(3, latency.SumOfCounts);
        Assert.Equal(3, errors.Units);
        Assert.Equal(0.25, errors.Ratio!.Value, 12);
        Assert.Equal(0, sut.PerUnit(UnitMetric.Cost).Units);
        Assert.Equal(SampleStatistics.Mean([100.0, 300, 600])!.Value, sut.Latency.Mean!.Value, 12);
    }
}
