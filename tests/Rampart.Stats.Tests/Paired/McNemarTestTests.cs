using FsCheck.Xunit;
using Rampart.Stats.Paired;

namespace Rampart.Stats.Tests.Paired;

public class McNemarTestTests
{
    // table = [[a, b], [c, d]]; a both ok, b shadow only failed, c control only failed, d both failed.
    // Exact: statsmodels.stats.contingency_tables.mcnemar(table, exact=True).pvalue == scipy.stats.binomtest(b, b+c, 0.5).pvalue
    // One-sided: scipy.stats.binomtest(b, b+c, 0.5, alternative='greater').pvalue
    // χ²: mcnemar(table, exact=False, correction=True).statistic, .pvalue
    // Interval: d = np.r_[np.ones(b), -np.ones(c), np.zeros(a+d)]; d.mean() ± scipy.stats.norm.ppf(0.975) * d.std() / np.sqrt(len(d))
    [Theory]
    [InlineData(3, 12, 5, 80, 0.03515625, 0.996307373046875, 4.266666666666667, 0.03886710381241731, -0.09, -0.16383109146264171, -0.01616890853735828)]
    [InlineData(10, 10, 0, 0, 1.0, 0.5880985260009766, 0.05, 0.8230632737581214, 0.0, -0.43826127028829076, 0.43826127028829076)]
    [InlineData(0, 7, 3, 40, 0.015625, 1.0, 5.142857142857143, 0.02334220201289086, -0.14, -0.2361781307794628, -0.04382186922053723)]
    [InlineData(250, 205, 545, 9000, 0.039019147817495846, 0.019509573908747923, 4.254945054945055, 0.03913621410164328, 0.0045, 0.0003201843724816803, 0.008679815627518319)]
    [InlineData(1200000, 1198000, 600000, 50000000, 0.19674287669064822, 0.09837143834532411, 1.6663890742285237, 0.1967428870581342, 3.773727310464546e-05, -1.953088202871148e-05, 9.500542823800241e-05)]
    public void Compare_Table_MatchesSciPyAndStatsmodels(
        long b, long c, long d, long a, double pValue, double pGreater, double chiSquare, double chiSquarePValue, double difference, double lower, double upper)
    {
        var sut = McNemarTest.Compare(b, c, bothFailed: d, bothOk: a);

        Assert.Equal(a + b + c + d, sut.Pairs);
        Assert.Equal(b + c, sut.Discordant);
        AssertClose.PValue(pValue, sut.PValue);
        AssertClose.PValue(pGreater, sut.PValueShadowWorse);
        AssertClose.Relative(chiSquare, sut.ChiSquare);
        AssertClose.PValue(chiSquarePValue, sut.ChiSquarePValue);
        Assert.Equal(difference, sut.Difference!.Value, 1e-12);
        AssertClose.Relative(lower, sut.Interval?.Lower);
        AssertClose.Relative(upper, sut.Interval?.Upper);
        Assert.Null(sut.Reason);
    }

    [Theory]
    // scipy.stats.binomtest(b, b+c, 0.5).pvalue and alternative='greater'
    [InlineData(5000, 4700, 0.0023966033625776513, 0.0011983016812888256)]
    [InlineData(50010000, 50000000, 0.3173831002898981, 0.15869155014494904)]
    [InlineData(100000000, 99970000, 0.03388741950660173, 0.016943709753300864)]
    [InlineData(0, 2000, 0.0, 1.0)]
    public void Compare_HundredsOfMillionsOfDiscordantPairs_StillExact(long b, long c, double pValue, double pGreater)
    {
        var sut = McNemarTest.Compare(b, c);

        AssertClose.PValue(pValue, sut.PValue);
        AssertClose.PValue(pGreater, sut.PValueShadowWorse);
    }

    [Fact]
    public void Compare_SmallExactPValue_KeepsRelativePrecision()
    {
        var sut = McNemarTest.Compare(3, 12, 5, 80);

        // scipy.stats.binomtest(3, 15, 0.5).pvalue = 0.03515625 = 2·576/2¹⁵ exactly
        AssertClose.Relative(0.03515625, sut.PValue, 1e-12);
    }

    [Fact]
    public void Compare_NoConcordantCounts_DifferenceAmongDiscordantPairs()
    {
        var sut = McNemarTest.Compare(3, 12);

        Assert.Equal(15, sut.Pairs);
        Assert.Equal(-0.6, sut.Difference!.Value, 1e-12);
        AssertClose.PValue(0.03515625, sut.PValue);
    }

    [Fact]
    public void Compare_AllDiscordantOneWay_PValuesButNoWaldInterval()
    {
        var sut = McNemarTest.Compare(12, 0);

        // scipy.stats.binomtest(12, 12, 0.5).pvalue = 0.00048828125; alternative='greater' 0.000244140625
        AssertClose.PValue(0.00048828125, sut.PValue);
        AssertClose.PValue(0.000244140625, sut.PValueShadowWorse);
        Assert.Equal(1.0, sut.Difference);
        Assert.Null(sut.Interval);
        Assert.NotNull(sut.Reason);
    }

    [Fact]
    public void Compare_NoDiscordantPairs_NullsWithReason()
    {
        var sut = McNemarTest.Compare(0, 0, bothFailed: 4, bothOk: 96);

        Assert.Equal(0.0, sut.Difference);
        Assert.Null(sut.PValue);
        Assert.Null(sut.ChiSquare);
        Assert.Null(sut.Interval);
        Assert.Equal("no discordant pairs: the variants failed on the same requests", sut.Reason);
    }

    [Fact]
    public void Compare_NoPairs_NullsWithReason()
    {
        var sut = McNemarTest.Compare(0, 0);

        Assert.Null(sut.Difference);
        Assert.Null(sut.PValue);
        Assert.Equal("no pairs", sut.Reason);
    }

    [Theory]
    [InlineData(-1, 0, 0, 0, "shadowOnlyFailed")]
    [InlineData(0, -1, 0, 0, "controlOnlyFailed")]
    [InlineData(0, 0, -1, 0, "bothFailed")]
    [InlineData(0, 0, 0, -1, "bothOk")]
    public void Compare_NegativeCount_ThrowsNamingIt(long b, long c, long d, long a, string parameter)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => McNemarTest.Compare(b, c, d, a));

        Assert.Equal(parameter, error.ParamName);
    }

    [Property]
    public bool Compare_SwappingTheVariants_SameTwoSidedPValueAndOppositeDifference(ushort b, ushort c, ushort a)
    {
        var forward = McNemarTest.Compare(b, c, bothOk: a);
        var backward = McNemarTest.Compare(c, b, bothOk: a);

        return forward.PValue == backward.PValue && forward.Difference == -backward.Difference;
    }
}
