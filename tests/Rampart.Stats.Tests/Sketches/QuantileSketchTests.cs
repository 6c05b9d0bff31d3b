using FsCheck.Xunit;
using MathNet.Numerics.Distributions;
using Rampart.Stats.Descriptive;
using Rampart.Stats.Sketches;

namespace Rampart.Stats.Tests.Sketches;

public class QuantileSketchTests
{
    private static readonly double[] Probabilities = [0.0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1.0];

    [Theory]
    [InlineData(0.50)]
    [InlineData(0.95)]
    [InlineData(0.99)]
    public void Quantile_LognormalLatencies_WithinOnePercentOfExactType7(double q)
    {
        // Latency-like: lognormal with median 800 ms and σ = 0.6 (p99 ≈ 3.2 s), 100,000 samples.
        var latencies = Latencies(new Random(11), 100_000);
        var sut = new QuantileSketch();
        foreach (var latency in latencies)
        {
            sut.Add(latency);
        }

        var exact = Quantiles.Type7(latencies.Order().ToArray(), q)!.Value;

        AssertClose.Relative(exact, sut.Quantile(q), sut.RelativeAccuracy);
    }

    [Theory]
    [InlineData(500.0)]
    [InlineData(1_600.0)]
    [InlineData(3_000.0)]
    public void CountAbove_LognormalLatencies_BetweenExactCountsAtTheAccuracyBounds(double threshold)
    {
        // The sketch may misplace a value within 1% of the threshold, never one farther away: compare with exact counts.
        var latencies = Latencies(new Random(5), 50_000);
        var sut = new QuantileSketch();
        foreach (var latency in latencies)
        {
            sut.Add(latency);
        }

        var eps = 2 * sut.RelativeAccuracy;
        var atLeast = latencies.Count(x => x > threshold * (1 + eps));
        var atMost = latencies.Count(x => x > threshold * (1 - eps));

        var count = sut.CountAbove(threshold);

        Assert.InRange(count, atLeast, atMost);
        Assert.Equal(0, sut.CountAbove(latencies.Max()));
        Assert.Equal(latencies.Length, sut.CountAbove(0));
    }

    [Fact]
    public void Quantile_LcgSample_WithinAccuracyOfNumPyAtEveryProbability()
    {
        var values = ReferenceData.LcgSkewed();
        var sut = new QuantileSketch();
        foreach (var value in values)
        {
            sut.Add(value);
        }

        // np.quantile(200 + 800 * np.array(lcg(42, 1000))**3, q) for the four probabilities of QuantilesTests
        AssertClose.Relative(302.22368625285526, sut.Quantile(0.5), 0.01);
        AssertClose.Relative(876.3070295630398, sut.Quantile(0.95), 0.01);
        AssertClose.Relative(965.470882472491, sut.Quantile(0.99), 0.01);
        AssertClose.Relative(994.5467483119282, sut.Quantile(0.999), 0.01);
    }

    [Fact]
    public void Merge_TwoSketches_EqualsSketchOfUnion()
    {
        var latencies = Latencies(new Random(12), 20_000);
        var whole = Sketch(latencies);

        var sut = Sketch(latencies[..7_000]);
        sut.Merge(Sketch(latencies[7_000..]));

        Assert.Equal(whole.Count, sut.Count);
        foreach (var q in Probabilities)
        {
            Assert.Equal(whole.Quantile(q), sut.Quantile(q));
        }
    }

    [Property]
    public bool Merge_AnyThreeGroups_IsAssociativeAndEqualsUnion(int[] a, int[] b, int[] c)
    {
        var left = Sketch(a);
        var middle = Sketch(b);
        middle.Merge(Sketch(c));
        left.Merge(middle);

        var right = Sketch(a);
        right.Merge(Sketch(b));
        right.Merge(Sketch(c));

        var union = Sketch([.. a, .. b, .. c]);
        return Probabilities.All(q => left.Quantile(q) == right.Quantile(q) && right.Quantile(q) == union.Quantile(q))
            && left.Count == union.Count;
    }

    [Fact]
    public void Quantile_WithZeros_CountsThemApart()
    {
        var sut = Sketch([0, 0, 0, 100, 200]);

        Assert.Equal(3, sut.ZeroCount);
        Assert.Equal(0.0, sut.Quantile(0.5));
        AssertClose.Relative(200, sut.Quantile(1.0), 0.01);
    }

    [Fact]
    public void Quantile_Empty_ReturnsNull()
    {
        Assert.Null(new QuantileSketch().Quantile(0.5));
    }

    [Fact]
    public void Quantile_IdenticalValues_ReturnsTheValueExactly()
    {
        var sut = Sketch([250, 250, 250]);

        Assert.Equal(250.0, sut.Quantile(0.01));
        Assert.Equal(250.0, sut.Quantile(0.99));
    }

    [Fact]
    public void Add_ValuesSpanningFiveDecades_KeepsMemoryBounded()
    {
        var sut = new QuantileSketch();

        for (var ms = 1.0; ms <= 100_000; ms *= 1.001)
        {
            sut.Add(ms);
        }

        // log(1e5)/log(γ) ≈ 576 buckets are needed; growth slack may at most double that.
        Assert.InRange(sut.BucketCapacity, 576, 2 * 580);
    }

    [Fact]
    public void Add_ExtremeValues_StaysWithinDoubleRange()
    {
        var sut = new QuantileSketch();

        sut.Add(double.Epsilon);
        sut.Add(double.MaxValue);

        Assert.True(sut.BucketCapacity < 75_000);
        AssertClose.Finite(sut.Quantile(0.5));
    }

    [Fact]
    public void Add_Negative_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new QuantileSketch().Add(-1));
    }

    [Fact]
    public void Merge_DifferentAccuracy_Throws()
    {
        var sut = new QuantileSketch(0.01);

        Assert.Throws<ArgumentException>(() => sut.Merge(new QuantileSketch(0.02)));
    }

    private static double[] Latencies(Random random, int count)
    {
        var latencies = new double[count];
        for (var i = 0; i < count; i++)
        {
            latencies[i] = LogNormal.Sample(random, Math.Log(800), 0.6);
        }

        return latencies;
    }

    private static QuantileSketch Sketch(IEnumerable<double> values)
    {
        var sketch = new QuantileSketch();
        foreach (var value in values)
        {
            sketch.Add(value);
        }

        return sketch;
    }

    private static QuantileSketch Sketch(int[] values) => Sketch(values.Select(v => (double)Math.Abs((long)v)));
}
