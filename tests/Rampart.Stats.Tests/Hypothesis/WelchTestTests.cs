using Rampart.Stats.Descriptive;
using Rampart.Stats.Hypothesis;

namespace Rampart.Stats.Tests.Hypothesis;

public class WelchTestTests
{
    [Fact]
    public void Compare_LiteralSamples_MatchesSciPyAndStatsmodels()
    {
        var sut = WelchTest.Compare(SampleStatistics.Summarize(ReferenceData.ControlLatencies), SampleStatistics.Summarize(ReferenceData.VariantLatencies));

        AssertClose.Relative(-95.42000000000019, sut.Difference); // b.mean() - a.mean()
        // scipy.stats.ttest_ind(b, a, equal_var=False) -> statistic=-1.2633319032152386, pvalue=0.22004286419692112
        AssertClose.Relative(-1.2633319032152386, sut.T);
        AssertClose.PValue(0.22004286419692112, sut.PValue);
        // statsmodels.stats.weightstats.ttest_ind(b, a, usevar='unequal') -> df 21.428444893002524
        AssertClose.Relative(21.428444893002524, sut.DegreesOfFreedom);
        // CompareMeans(DescrStatsW(b), DescrStatsW(a)).tconfint_diff(alpha=0.05, usevar='unequal')
        AssertClose.Relative(-252.30311546630045, sut.Interval?.Lower);
        AssertClose.Relative(61.46311546630008, sut.Interval?.Upper);
        Assert.Null(sut.Reason);
    }

    [Fact]
    public void Compare_NinetyPercentConfidence_MatchesStatsmodels()
    {
        var sut = WelchTest.Compare(SampleStatistics.Summarize(ReferenceData.ControlLatencies), SampleStatistics.Summarize(ReferenceData.VariantLatencies), 0.90);

        // CompareMeans(DescrStatsW(b), DescrStatsW(a)).tconfint_diff(alpha=0.10, usevar='unequal')
        AssertClose.Relative(-225.26875580368593, sut.Interval?.Lower);
        AssertClose.Relative(34.42875580368556, sut.Interval?.Upper);
    }

    [Fact]
    public void Compare_SummaryStatistics_MatchesTtestIndFromStats()
    {
        var control = SampleSummary.Of(3900, 0.798, 0.0398);
        var variant = SampleSummary.Of(4000, 0.812, 0.0421);

        var sut = WelchTest.Compare(control, variant);

        // scipy.stats.ttest_ind_from_stats(0.812, np.sqrt(0.0421), 4000, 0.798, np.sqrt(0.0398), 3900, equal_var=False)
        AssertClose.Relative(3.074871999275724, sut.T);
        AssertClose.PValue(0.002113120742343056, sut.PValue);
    }

    [Fact]
    public void Compare_ControlWithZeroVariance_MatchesSciPy()
    {
        // c = [5, 5, 5, 5], d = [4, 6.5, 5.5, 7, 6]
        var sut = WelchTest.Compare(SampleStatistics.Summarize([5.0, 5.0, 5.0, 5.0]), SampleStatistics.Summarize([4.0, 6.5, 5.5, 7.0, 6.0]));

        // scipy.stats.ttest_ind(d, c, equal_var=False) -> 1.5540573797716224, 0.19513791758605345
        AssertClose.Relative(1.5540573797716224, sut.T);
        AssertClose.PValue(0.19513791758605345, sut.PValue);
        // statsmodels ttest_ind(d, c, usevar='unequal') -> df 4.0; tconfint_diff -> (-0.629262595493514, 2.2292625954935135)
        AssertClose.Relative(4.0, sut.DegreesOfFreedom);
        AssertClose.Relative(-0.629262595493514, sut.Interval?.Lower);
        AssertClose.Relative(2.2292625954935135, sut.Interval?.Upper);
    }

    [Fact]
    public void Compare_ZeroVarianceInBothGroups_NullsWithReason()
    {
        var sut = WelchTest.Compare(SampleStatistics.Summarize([1.0, 1.0, 1.0]), SampleStatistics.Summarize([2.0, 2.0]));

        Assert.Equal(1.0, sut.Difference);
        Assert.Null(sut.T);
        Assert.Null(sut.PValue);
        Assert.Null(sut.Interval);
        Assert.Equal("zero variance in both groups", sut.Reason);
    }

    [Fact]
    public void Compare_IdenticalValuesInBothGroups_NullsWithReason()
    {
        var sut = WelchTest.Compare(SampleStatistics.Summarize([3.0, 3.0]), SampleStatistics.Summarize([3.0, 3.0, 3.0]));

        Assert.Equal(0.0, sut.Difference);
        Assert.Null(sut.PValue);
        Assert.Equal("zero variance in both groups", sut.Reason);
    }

    [Fact]
    public void Compare_OneObservationInVariant_NullsWithReason()
    {
        var sut = WelchTest.Compare(SampleStatistics.Summarize([1.0, 2.0, 3.0]), SampleStatistics.Summarize([5.0]));

        Assert.Equal(3.0, sut.Difference);
        Assert.Null(sut.T);
        Assert.Null(sut.DegreesOfFreedom);
        Assert.Null(sut.PValue);
        Assert.Equal("fewer than 2 observations in the variant", sut.Reason);
    }

    [Fact]
    public void Compare_EmptyControl_NullsWithReason()
    {
        var sut = WelchTest.Compare(SampleStatistics.Summarize([]), SampleStatistics.Summarize([5.0, 6.0]));

        Assert.Null(sut.Difference);
        Assert.Null(sut.PValue);
        Assert.Equal("fewer than 2 observations in the control", sut.Reason);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void Compare_ConfidenceOutsideOpenUnitInterval_Throws(double confidence)
    {
        var summary = SampleSummary.Of(10, 1, 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => WelchTest.Compare(summary, summary, confidence));
    }
}
