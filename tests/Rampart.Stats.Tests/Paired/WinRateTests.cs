using Rampart.Stats.Paired;

namespace Rampart.Stats.Tests.Paired;

public class WinRateTests
{
    // Interval: statsmodels.stats.proportion.proportion_confint(w + t/2, w + l + t, method='wilson')
    // p-value: scipy.stats.binomtest(w, w + l, 0.5).pvalue
    [Theory]
    [InlineData(30, 18, 12, 0.6, 0.4736605349204075, 0.7143050946511744, 0.11140289106101878)]
    [InlineData(5, 0, 0, 1.0, 0.5655175352168252, 1.0, 0.0625)]
    [InlineData(520, 480, 1000, 0.51, 0.4880931507308387, 0.5318685083235363, 0.2174482932041409)]
    [InlineData(7, 9, 0, 0.4375, 0.23098652405492354, 0.6682144360118811, 0.803619384765625)]
    public void Of_Counts_MatchesStatsmodelsAndSciPy(long wins, long losses, long ties, double rate, double lower, double upper, double pValue)
    {
        var sut = WinRate.Of(wins, losses, ties);

        Assert.Equal(wins + losses + ties, sut.Comparisons);
        AssertClose.Relative(rate, sut.Rate);
        AssertClose.Relative(lower, sut.Interval?.Lower);
        AssertClose.Relative(upper, sut.Interval?.Upper);
        AssertClose.PValue(pValue, sut.PValue);
        Assert.Null(sut.Reason);
    }

    [Fact]
    public void Of_OnlyTies_HalfWithIntervalButNoPValue()
    {
        var sut = WinRate.Of(0, 0, 5);

        // proportion_confint(2.5, 5, method='wilson') -> (0.1704235806435877, 0.8295764193564124)
        Assert.Equal(0.5, sut.Rate);
        AssertClose.Relative(0.1704235806435877, sut.Interval?.Lower);
        AssertClose.Relative(0.8295764193564124, sut.Interval?.Upper);
        Assert.Null(sut.PValue);
        Assert.Equal("every comparison is a tie", sut.Reason);
    }

    [Fact]
    public void Of_NoComparisons_NullsWithReason()
    {
        var sut = WinRate.Of(0, 0, 0);

        Assert.Null(sut.Rate);
        Assert.Null(sut.Interval);
        Assert.Equal("no comparisons", sut.Reason);
    }

    [Theory]
    [InlineData(-1, 0, 0, "wins")]
    [InlineData(0, -1, 0, "losses")]
    [InlineData(0, 0, -1, "ties")]
    public void Of_NegativeCount_ThrowsNamingIt(long wins, long losses, long ties, string parameter)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => WinRate.Of(wins, losses, ties));

        Assert.Equal(parameter, error.ParamName);
    }
}
