using Rampart.Stats.Hypothesis;

namespace Rampart.Stats.Tests.Hypothesis;

public class TwoProportionTestTests
{
    [Theory]
    // t = np.array([[x1, n1 - x1], [x2, n2 - x2]])
    // p: scipy.stats.chi2_contingency(t, correction=False)[1]
    // z: statsmodels.stats.proportion.proportions_ztest([x2, x1], [n2, n1])[0]
    // CI: statsmodels.stats.proportion.confint_proportions_2indep(x2, n2, x1, n1, method='wald', compare='diff')
    [InlineData(48, 1000, 70, 1000, 0.036816759303461, 2.0877902517333933, 0.0013694820351590233, 0.04263051796484099)]
    [InlineData(3, 250, 9, 260, 0.09210797330277695, 1.6843814506153338, -0.003382895826613365, 0.0486136650573826)]
    [InlineData(120, 4521, 95, 4480, 0.0972900779066159, -1.6581357083083244, -0.011642356862093898, 0.0009674706169521766)]
    [InlineData(0, 50, 4, 60, 0.06290380351287782, 1.8598708280026723, 0.003549829980149896, 0.12978350335318345)]
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

        // confint_proportions_2indep(70, 1000, 48, 1000, method='wald', compare='diff', alpha=0.1)
        AssertClose.Relative(0.004686323540623864, sut.Interval?.Lower);
        AssertClose.Relative(0.03931367645937615, sut.Interval?.Upper);
    }

    [Fact]
    public void Compare_NoSuccessesAnywhere_NullsWithReason()
    {
        var sut = TwoProportionTest.Compare(new BinomialCount(0, 100), new BinomialCount(0, 120));

        Assert.Equal(0.0, sut.Difference);
        Assert.Null(sut.Z);
        Assert.Null(sut.PValue);
        Assert.Null(sut.Interval);
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
