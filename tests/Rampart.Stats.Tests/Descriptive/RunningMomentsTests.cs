using FsCheck.Xunit;
using Rampart.Stats.Descriptive;

namespace Rampart.Stats.Tests.Descriptive;

public class RunningMomentsTests
{
    [Fact]
    public void From_LiteralSample_MatchesNumPy()
    {
        var sut = RunningMoments.From(ReferenceData.ControlLatencies);

        Assert.Equal(12, sut.Count);
        AssertClose.Relative(1012.8333333333335, sut.Mean); // np.mean(a)
        AssertClose.Relative(43994.855151515156, sut.Variance); // np.var(a, ddof=1)
        AssertClose.Relative(12154.000000000002, sut.Sum); // np.sum(a)
    }

    [Fact]
    public void Add_LargeOffset_StaysAccurateWhereRawSumsOfSquaresCancel()
    {
        // Values 1e9 + {1, 2, 3, 4}: Σx² − (Σx)²/n loses every digit in double; Welford keeps the variance 5/3 exactly enough.
        var sut = RunningMoments.From([1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4]);

        AssertClose.Relative(5.0 / 3.0, sut.Variance, 1e-9);
    }

    [Fact]
    public void Merge_TwoHalves_EqualsWhole()
    {
        var values = new Lcg(7).Take(500);
        var whole = RunningMoments.From(values);

        var sut = RunningMoments.From(values.AsSpan(0, 123)).Merge(RunningMoments.From(values.AsSpan(123)));

        Assert.Equal(whole.Count, sut.Count);
        AssertClose.Relative(whole.Mean!.Value, sut.Mean, 1e-12);
        AssertClose.Relative(whole.Variance!.Value, sut.Variance, 1e-12);
    }

    [Fact]
    public void Merge_WithEmpty_ReturnsSame()
    {
        var sut = RunningMoments.From([1.0, 2.0]);

        Assert.Equal(sut, sut.Merge(default));
        Assert.Equal(sut, default(RunningMoments).Merge(sut));
    }

    [Property]
    public bool Merge_AnyThreeGroups_IsAssociative(int[] a, int[] b, int[] c)
    {
        var (x, y, z) = (Moments(a), Moments(b), Moments(c));

        var left = x.Merge(y).Merge(z);
        var right = x.Merge(y.Merge(z));

        return left.Count == right.Count
            && Close(left.Mean, right.Mean)
            && Close(left.Variance, right.Variance)
            && Close(left.Mean, SampleStatistics.Mean([.. a, .. b, .. c]))
            && Close(left.Variance, SampleStatistics.Variance([.. a, .. b, .. c]));
    }

    [Fact]
    public void ToSummary_Empty_NullsWithReason()
    {
        var summary = default(RunningMoments).ToSummary();

        Assert.Null(summary.Mean);
        Assert.Null(summary.Variance);
        Assert.Equal("no observations", summary.Reason);
    }

    [Fact]
    public void ToSummary_OneValue_NoVarianceWithReason()
    {
        var summary = RunningMoments.From([4.0]).ToSummary();

        Assert.Equal(4.0, summary.Mean);
        Assert.Null(summary.Variance);
        Assert.Equal("fewer than 2 observations", summary.Reason);
    }

    [Fact]
    public void Add_Infinity_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => default(RunningMoments).Add(double.PositiveInfinity));
    }

    private static RunningMoments Moments(int[] values) => RunningMoments.From(values.Select(v => (double)v).ToArray());

    private static bool Close(double? x, double? y) =>
        x is null ? y is null : y is { } v && Math.Abs(x.Value - v) <= 1e-9 * Math.Max(1, Math.Abs(v));
}
