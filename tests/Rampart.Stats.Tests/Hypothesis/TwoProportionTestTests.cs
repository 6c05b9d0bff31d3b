using Rampart.Stats.Hypothesis;

namespace Rampart.Stats.Tests.Hypothesis;

public class TwoProportionTestTests
{
    [Theory]
    // t = np.array([[x1, n1 - x1], [x2, n2 - x2]])
    // p: scipy.stats.chi2_contingency(t, correction=False)[1]
    // z: statsmodels.stats.proportion.proportions_ztest([x2, x1], [n2, n1])[0]
    // CI: statsmodels.stats.proportion.confint_proportions_2indep(x2, n2, x1, n1, method='newcomb', compare='diff')
    //     (statsmodels 0.13.5; the variant first, as its difference is the first group minus the second)
    [InlineData(48, 1000, 70, 1000, 0.036816759303461, 2.0877902517333933, 0.0012804719138556665, 0.0430113864620313)]
    [InlineData(3, 250, 9, 260, 0.09210797330277695, 1.6843814506153338, -0.005314534850098213, 0.053496693636413545)]
    [InlineData(120, 4521, 95, 4480, 0.0972900779066159, -1.6581357083083244, -0.011715596223574836, 0.000993005458778621)]
    [InlineData(0, 50, 4, 60, 0.06290380351287782, 1.8598708280026723, -0.015343754338140086, 0.1592535731319717)]
    public void Compare_Counts_MatchesChiSquareAndStatsmodels(
        long x1, long n1, long x2, long n2, double expectedP, double expectedZ, double expectedLower, double expectedUpper)
    {
        var sut = TwoProportionTest.Compare(new BinomialCount(x1, n1), new BinomialCount(x2, n2));

        AssertClose.Relative(((double)x2 / n2) - ((double)x1 / n1), sut.Difference);
        AssertClose.PValue(expectedP, sut.PValue);
        AssertClose.Relative(expectedZ, sut.Z);
        AssertClose.Relative(expectedLower, sut.Interval?.Lower);
        AssertClose.Relative(expectedUpper, sut.Interval?.Upper);
        Assert.Null(sut.Reason);
    }

    [Fact]
    public void Compare_NinetyPercentConfidence_MatchesStatsmodels()
    {
        var sut = TwoProportionTest.Compare(new BinomialCount(48, 1000), new BinomialCount(70, 1000), 0.90);

        // confint_proportions_2indep(70, 1000, 48, 1000, method='newcomb', compare='diff', alpha=0.1)
        AssertClose.Relative(0.004650722903579419, sut.Interval?.Lower);
        AssertClose.Relative(0.03955693950886832, sut.Interval?.Upper);
    }

    [Theory]
    // Where the Wald interval degenerates: a rate of 0 or 1 in a group (zero width when each rate is 0 or 1).
    // confint_proportions_2indep(x2, n2, x1, n1, method='newcomb', compare='diff')
    [InlineData(0, 100, 0, 100, -0.03699349820698569, 0.03699349820698569)]
    [InlineData(0, 50, 5, 50, 0.008975448080590018, 0.21360231437479657)]
    [InlineData(100, 100, 98, 100, -0.07001179072854402, 0.01973300711633589)]
    [InlineData(0, 100, 0, 120, -0.03699349820698569, 0.0310191664187035)]
    [InlineData(10, 10, 7, 7, -0.3543304350666875, 0.27753279986288937)]
    [InlineData(0, 1, 1, 1, -0.12210872068194178, 1.0)]
    [InlineData(0, 50, 50, 50, 0.8990992576628452, 1.0)] // Wald: [1, 1]
    public void Compare_RateOfZeroOrOne_NewcombeIntervalWithWidthMatchesStatsmodels(long x1, long n1, long x2, long n2, double expectedLower, double expectedUpper)
    {
        var sut = TwoProportionTest.Compare(new BinomialCount(x1, n1), new BinomialCount(x2, n2));

        AssertClose.Relative(expectedLower, sut.Interval?.Lower);
        AssertClose.Relative(expectedUpper, sut.Interval?.Upper);
        Assert.True(sut.Interval!.Value.Contains(sut.Difference!.Value));
    }

    [Fact]
    public void Compare_NoSuccessesAnywhere_NullsWithReason()
    {
        var sut = TwoProportionTest.Compare(new BinomialCount(0, 100), new BinomialCount(0, 120));

        Assert.Equal(0.0, sut.Difference);
        Assert.Null(sut.Z);
        Assert.Null(sut.PValue);
        Assert.NotNull(sut.Interval); // Newcombe's interval needs no success: Compare_RateOfZeroOrOne_…
        Assert.Equal("no successes in either group", sut.Reason);
    }

    [Fact]
    public void Compare_AllSucceeded_NullsWithReason()
    {
        var sut = TwoProportionTest.Compare(new BinomialCount(10, 10), new BinomialCount(7, 7));

        Assert.Null(sut.PValue);
        Assert.Equal("every trial succeeded in both groups", sut.Reason);
    }

    [Fact]
    public void Compare_NoTrialsInControl_NullsWithReason()
    {
        var sut = TwoProportionTest.Compare(default, new BinomialCount(3, 10));

        Assert.Null(sut.ControlRate);
        Assert.Equal(0.3, sut.VariantRate);
        Assert.Null(sut.Difference);
        Assert.Null(sut.PValue);
        Assert.Equal("no trials in the control", sut.Reason);
    }

    [Fact]
    public void Compare_OneTrialEach_FiniteValues()
    {
        var sut = TwoProportionTest.Compare(new BinomialCount(0, 1), new BinomialCount(1, 1));

        AssertClose.Finite(sut.Z);
        AssertClose.Finite(sut.PValue);
        AssertClose.Finite(sut.Interval?.Lower);
        AssertClose.Finite(sut.Interval?.Upper);
    }

    [Fact]
    public void BinomialCount_MoreSuccessesThanTrials_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BinomialCount(5, 4));
    }
}
