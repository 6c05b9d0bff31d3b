using Rampart.Stats.Hypothesis;

namespace Rampart.Stats.Tests.Hypothesis;

public class NewcombeIntervalTests
{
    [Theory]
    // statsmodels.stats.proportion.confint_proportions_2indep(x2, n2, x1, n1, method='newcomb', compare='diff', alpha=1 - c)
    [InlineData(48, 1000, 70, 1000, 0.95, 0.0012804719138556665, 0.0430113864620313)]
    [InlineData(48, 1000, 70, 1000, 0.90, 0.004650722903579419, 0.03955693950886832)]
    [InlineData(0, 100, 0, 100, 0.95, -0.03699349820698569, 0.03699349820698569)]
    public void Difference_Counts_MatchesStatsmodels(long x1, long n1, long x2, long n2, double confidence, double expectedLower, double expectedUpper)
    {
        var sut = NewcombeInterval.Difference(new BinomialCount(x1, n1), new BinomialCount(x2, n2), confidence);

        AssertClose.Relative(expectedLower, sut?.Lower);
        AssertClose.Relative(expectedUpper, sut?.Upper);
    }

    [Fact]
    public void Difference_NoTrialsInAGroup_Null()
    {
        Assert.Null(NewcombeInterval.Difference(default, new BinomialCount(1, 2)));
        Assert.Null(NewcombeInterval.Difference(new BinomialCount(1, 2), default));
    }
}
