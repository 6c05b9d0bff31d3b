using Rampart.Stats.Power;

namespace Rampart.Stats.Tests.Power;

public class SampleSizeTests
{
    [Theory]
    // h: statsmodels.stats.proportion.proportion_effectsize(p2, p1)
    // ceiling: math.ceil(statsmodels.stats.power.NormalIndPower().solve_power(effect_size=h, alpha=0.05, power=0.8))
    // unrounded: 2 * ((scipy.stats.norm.ppf(0.975) + scipy.stats.norm.ppf(0.8)) / h)**2
    [InlineData(0.10, 0.12, 0.06398210298605855, 3835, 3834.605132347649)]
    [InlineData(0.5, 0.55, 0.10016742116155997, 1565, 1564.5328433896746)]
    [InlineData(0.02, 0.025, 0.033766320083193524, 13768, 13767.97929732149)]
    [InlineData(0.3, 0.2, -0.2319842627257961, 292, 291.68938280523304)]
    public void ForTwoProportions_Rates_MatchesStatsmodels(double p1, double p2, double expectedH, long expectedN, double expectedUnrounded)
    {
        var sut = SampleSize.ForTwoProportions(p1, p2);

        AssertClose.Relative(expectedH, sut.EffectSize);
        Assert.Equal(expectedN, sut.UnitsPerGroup);
        AssertClose.Relative(expectedUnrounded, sut.UnroundedUnitsPerGroup);
        Assert.Null(sut.Reason);
    }

    [Fact]
    public void ForTwoProportions_StricterAlphaAndPower_MatchesStatsmodels()
    {
        var sut = SampleSize.ForTwoProportions(0.10, 0.12, alpha: 0.01, power: 0.9);

        // 2 * ((norm.ppf(0.995) + norm.ppf(0.9)) / proportion_effectsize(0.12, 0.10))**2 -> 7269.390834935492
        AssertClose.Relative(7269.390834935492, sut.UnroundedUnitsPerGroup);
        // math.ceil(NormalIndPower().solve_power(effect_size=proportion_effectsize(0.12, 0.10), alpha=0.01, power=0.9)) -> 7270
        Assert.Equal(7270, sut.UnitsPerGroup);
    }

    [Fact]
    public void ForTwoProportions_EqualRates_NullsWithReason()
    {
        var sut = SampleSize.ForTwoProportions(0.2, 0.2);

        Assert.Null(sut.UnitsPerGroup);
        Assert.Null(sut.UnroundedUnitsPerGroup);
        Assert.Equal(0.0, sut.EffectSize);
        Assert.Equal("the two rates are equal, so there is no difference to detect", sut.Reason);
    }

    [Fact]
    public void ForTwoProportions_FromZero_Finite()
    {
        var sut = SampleSize.ForTwoProportions(0.0, 0.01);

        Assert.NotNull(sut.UnitsPerGroup);
        AssertClose.Finite(sut.UnroundedUnitsPerGroup);
    }

    [Fact]
    public void ForTwoProportions_RateAboveOne_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SampleSize.ForTwoProportions(0.1, 1.2));
    }
}
