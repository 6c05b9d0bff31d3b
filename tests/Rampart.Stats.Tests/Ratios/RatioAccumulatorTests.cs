using FsCheck.Xunit;
using Rampart.Stats.Descriptive;
using Rampart.Stats.Ratios;

namespace Rampart.Stats.Tests.Ratios;

public class RatioAccumulatorTests
{
    // Per-unit sums Y and request counts N of a latency metric.
    // cy = np.array([1200.0, 3300.5, 800.0, 5100.2, 950.3, 2400.0, 610.0, 4020.7, 1500.0, 2210.4, 980.1, 3150.0])
    // cn = np.array([1, 3, 1, 4, 1, 2, 1, 3, 1, 2, 1, 3])
    internal static readonly double[] ControlValues = [1200.0, 3300.5, 800.0, 5100.2, 950.3, 2400.0, 610.0, 4020.7, 1500.0, 2210.4, 980.1, 3150.0];
    internal static readonly double[] ControlCounts = [1, 3, 1, 4, 1, 2, 1, 3, 1, 2, 1, 3];

    [Fact]
    public void ToEstimate_LiteralUnits_MatchesNumPyDeltaMethod()
    {
        var sut = Accumulate(ControlValues, ControlCounts);

        var estimate = sut.ToEstimate();

        // R = cy.sum() / cn.sum();
        // (np.var(cy, ddof=1) - 2*R*np.cov(cy, cn, ddof=1)[0, 1] + R*R*np.var(cn, ddof=1)) / (len(cy) * cn.mean()**2)
        Assert.Equal(12, estimate.Units);
        AssertClose.Relative(1140.095652173913, estimate.Ratio);
        AssertClose.Relative(2783.8487660168266, estimate.Variance);
        Assert.Null(estimate.Reason);
    }

    [Fact]
    public void FromSums_SameUnits_EqualsAccumulated()
    {
        // cy.sum(), cn.sum(), (cy**2).sum(), (cn**2).sum(), (cy*cn).sum() -> 26222.2, 23, 80205503.04, 57, 67075.6
        var sut = RatioAccumulator.FromSums(12, 26222.2, 23, 80205503.04, 57, 67075.6);

        AssertClose.Relative(1140.095652173913, sut.Ratio);
        AssertClose.Relative(2783.8487660168266, sut.RatioVariance);
        AssertClose.Relative(26222.2, sut.SumOfValues);
        AssertClose.Relative(23, sut.SumOfCounts);
    }

    [Fact]
    public void Merge_TwoHalves_EqualsWhole()
    {
        var whole = Accumulate(ControlValues, ControlCounts);

        var sut = Accumulate(ControlValues[..5], ControlCounts[..5]).Merge(Accumulate(ControlValues[5..], ControlCounts[5..]));

        Assert.Equal(whole.Units, sut.Units);
        AssertClose.Relative(whole.Ratio!.Value, sut.Ratio, 1e-12);
        AssertClose.Relative(whole.RatioVariance!.Value, sut.RatioVariance, 1e-12);
    }

    [Property]
    public bool Merge_AnyThreeGroups_IsAssociative(int[] a, int[] b, int[] c)
    {
        var (x, y, z) = (FromInts(a), FromInts(b), FromInts(c));

        var left = x.Merge(y).Merge(z).ToEstimate();
        var right = x.Merge(y.Merge(z)).ToEstimate();

        return left.Units == right.Units && Close(left.Ratio, right.Ratio) && Close(left.Variance, right.Variance);
    }

    [Fact]
    public void ToEstimate_OneRequestPerUnit_IsMeanAndVarianceOfMean()
    {
        var values = ReferenceData.ControlLatencies;
        var summary = SampleStatistics.Summarize(values);

        var estimate = Accumulate(values, values.Select(_ => 1.0).ToArray()).ToEstimate();

        AssertClose.Relative(summary.Mean!.Value, estimate.Ratio, 1e-12);
        AssertClose.Relative(summary.Variance!.Value / values.Length, estimate.Variance, 1e-12);
    }

    [Fact]
    public void ToEstimate_NoUnits_NullsWithReason()
    {
        var estimate = default(RatioAccumulator).ToEstimate();

        Assert.Null(estimate.Ratio);
        Assert.Null(estimate.Variance);
        Assert.Equal("no units", estimate.Reason);
    }

    [Fact]
    public void ToEstimate_UnitsWithoutRequests_NullsWithReason()
    {
        var estimate = default(RatioAccumulator).Add(0, 0).Add(0, 0).ToEstimate();

        Assert.Null(estimate.Ratio);
        Assert.Equal("no requests in any unit", estimate.Reason);
    }

    [Fact]
    public void ToEstimate_OneUnit_RatioButNoVariance()
    {
        var estimate = default(RatioAccumulator).Add(30, 3).ToEstimate();

        Assert.Equal(10.0, estimate.Ratio);
        Assert.Null(estimate.Variance);
        Assert.Equal("fewer than 2 units", estimate.Reason);
    }

    [Fact]
    public void ToEstimate_IdenticalUnits_ZeroVariance()
    {
        var estimate = default(RatioAccumulator).Add(6, 2).Add(6, 2).Add(9, 3).ToEstimate();

        Assert.Equal(3.0, estimate.Ratio);
        Assert.Equal(0.0, estimate.Variance!.Value, 12);
    }

    internal static RatioAccumulator Accumulate(double[] values, double[] counts)
    {
        var accumulator = default(RatioAccumulator);
        for (var i = 0; i < values.Length; i++)
        {
            accumulator = accumulator.Add(values[i], counts[i]);
        }

        return accumulator;
    }

    // Each int is a unit: value = the int, requests = 1 + |int| mod 5.
    private static RatioAccumulator FromInts(int[] units) =>
        Accumulate(units.Select(u => (double)u).ToArray(), units.Select(u => 1.0 + (Math.Abs(u % 5))).ToArray());

    private static bool Close(double? x, double? y) =>
        x is null ? y is null : y is { } v && Math.Abs(x.Value - v) <= 1e-9 * Math.Max(1, Math.Abs(v));
}
