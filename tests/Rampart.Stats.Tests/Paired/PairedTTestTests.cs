using Rampart.Stats.Paired;

namespace Rampart.Stats.Tests.Paired;

public class PairedTTestTests
{
    [Fact]
    public void Compare_LiteralPairs_MatchesSciPy()
    {
        var sut = PairedTTest.Compare(ReferenceData.ControlLatencies, ReferenceData.ShadowLatencies);

        // r = scipy.stats.ttest_rel(s, a) -> statistic=0.39476507864509586, pvalue=0.7005630210951951, df=11
        // r.confidence_interval(0.95) -> (-19.864992990661246, 28.548326323994562); np.mean(s - a) = 4.341666666666659
        Assert.Equal(12, sut.Pairs);
        AssertClose.Relative(4.341666666666659, sut.MeanDifference);
        AssertClose.Relative(0.39476507864509586, sut.T);
        AssertClose.PValue(0.7005630210951951, sut.PValue);
        Assert.Equal(11.0, sut.DegreesOfFreedom);
        AssertClose.Relative(-19.864992990661246, sut.Interval?.Lower);
        AssertClose.Relative(28.548326323994562, sut.Interval?.Upper);
        Assert.Null(sut.Reason);
    }

    [Fact]
    public void Compare_TiedDifferences_MatchesSciPy()
    {
        double[] control = [100, 120, 130, 150, 160, 170, 180, 200, 210, 220];
        double[] shadow = [110, 120, 125, 160, 150, 190, 175, 210, 230, 220];

        var sut = PairedTTest.Compare(control, shadow);

        // scipy.stats.ttest_rel(ts, tc) -> 1.5, 0.16785065605707486; confidence_interval() -> (-2.5405238758033057, 12.540523875803306)
        AssertClose.Relative(5.0, sut.MeanDifference);
        AssertClose.Relative(1.5, sut.T);
        AssertClose.PValue(0.16785065605707486, sut.PValue);
        AssertClose.Relative(-2.5405238758033057, sut.Interval?.Lower);
        AssertClose.Relative(12.540523875803306, sut.Interval?.Upper);
    }

    [Fact]
    public void Compare_LargeSkewed_MatchesSciPy()
    {
        var (control, shadow) = ReferenceData.LcgPaired();

        var sut = PairedTTest.Compare(control, shadow);

        // scipy.stats.ttest_rel(y, x) -> 8.18579068719306, 7.895090291840496e-15, df 299; CI (12.42249823890494, 20.28584635073344)
        AssertClose.Relative(16.35417229481919, sut.MeanDifference);
        AssertClose.Relative(8.18579068719306, sut.T);
        AssertClose.Relative(7.895090291840496e-15, sut.PValue, 1e-5);
        Assert.Equal(299.0, sut.DegreesOfFreedom);
        AssertClose.Relative(12.42249823890494, sut.Interval?.Lower);
        AssertClose.Relative(20.28584635073344, sut.Interval?.Upper);
    }

    [Fact]
    public void Compare_NinetyPercentConfidence_MatchesSciPy()
    {
        var (control, shadow) = ReferenceData.LcgPaired();

        var sut = PairedTTest.Compare(control, shadow, 0.90);

        // scipy.stats.ttest_rel(y, x).confidence_interval(0.90) -> (13.057749814427588, 19.65059477521079)
        AssertClose.Relative(13.057749814427588, sut.Interval?.Lower);
        AssertClose.Relative(19.65059477521079, sut.Interval?.Upper);
    }

    [Fact]
    public void Compare_SameDifferenceEveryPair_MeanButNoTest()
    {
        var sut = PairedTTest.Compare([1.0, 2.0, 3.0], [1.5, 2.5, 3.5]);

        Assert.Equal(0.5, sut.MeanDifference);
        Assert.Null(sut.T);
        Assert.Null(sut.PValue);
        Assert.Null(sut.Interval);
        Assert.Equal("every pair has the same difference, so the standard error is zero", sut.Reason);
    }

    [Fact]
    public void Compare_OnePair_NullsWithReason()
    {
        var sut = PairedTTest.Compare([1.0], [2.0]);

        Assert.Equal(1.0, sut.MeanDifference);
        Assert.Null(sut.PValue);
        Assert.Equal("fewer than 2 pairs", sut.Reason);
    }

    [Fact]
    public void Compare_DifferenceBeyondDoubleRange_ThrowsOverflow()
    {
        Assert.Throws<OverflowException>(() => PairedTTest.Compare([-1e308, -1e308], [1e308, 1e308]));
    }
}
