using Rampart.Stats.Hypothesis;

namespace Rampart.Stats.Tests.Hypothesis;

public class WilsonIntervalTests
{
    [Theory]
    // statsmodels.stats.proportion.proportion_confint(x, n, method='wilson')
    [InlineData(0, 100, 0.0, 0.03699349820698569)]
    [InlineData(3, 250, 0.0040893198805342975, 0.034680780427019615)]
    [InlineData(100, 100, 0.9630065017930143, 1.0)]
    public void Of_Counts_MatchesStatsmodels(long x, long n, double expectedLower, double expectedUpper)
    {
        var sut = WilsonInterval.Of(new BinomialCount(x, n));

        Assert.Equal(expectedLower, sut!.Value.Lower, 1e-12); // absolute: the lower bound at x = 0 is 0
        AssertClose.Relative(expectedUpper, sut.Value.Upper);
    }

    [Fact]
    public void Of_NoTrials_Null()
    {
        Assert.Null(WilsonInterval.Of(default));
    }
}
