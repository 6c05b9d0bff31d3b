using Rampart.Stats.Paired;

namespace Rampart.Stats.Tests.Paired;

public class GeometricMeanRatioTests
{
    [Fact]
    public void Compare_LiteralPairs_MatchesSciPy()
    {
        var sut = GeometricMeanRatio.Compare(ReferenceData.ControlLatencies, ReferenceData.ShadowLatencies);

        // r = scipy.stats.ttest_rel(np.log(s), np.log(a)) -> 0.6748333798560762, 0.5137155687315976
        // np.exp(np.mean(np.log(s) - np.log(a))) = 1.0069369933145242; np.exp(r.confidence_interval()) -> (0.9844875650026376, 1.029898339551478)
        AssertClose.Relative(1.0069369933145242, sut.Ratio);
        AssertClose.Relative(0.6748333798560762, sut.T);
        AssertClose.PValue(0.5137155687315976, sut.PValue);
        AssertClose.Relative(0.9844875650026376, sut.Interval?.Lower);
        AssertClose.Relative(1.029898339551478, sut.Interval?.Upper);
        Assert.Equal(11.0, sut.DegreesOfFreedom);
        Assert.Null(sut.Reason);
    }

    [Fact]
    public void Compare_TiedPairs_MatchesSciPy()
    {
        double[] control = [100, 120, 130, 150, 160, 170, 180, 200, 210, 220];
        double[] shadow = [110, 120, 125, 160, 150, 190, 175, 210, 230, 220];

        var sut = GeometricMeanRatio.Compare(control, shadow);

        // scipy.stats.ttest_rel(np.log(ts), np.log(tc)) -> 1.4144143276382894, 0.1908899979267889; ratio 1.0282832012772123,
        // CI (0.9834224360787375, 1.0751903792687663)
        AssertClose.Relative(1.0282832012772123, sut.Ratio);
        AssertClose.PValue(0.1908899979267889, sut.PValue);
        AssertClose.Relative(0.9834224360787375, sut.Interval?.Lower);
        AssertClose.Relative(1.0751903792687663, sut.Interval?.Upper);
    }

    [Fact]
    public void Compare_LargeSkewed_MatchesSciPy()
    {
        var (control, shadow) = ReferenceData.LcgPaired();

        var sut = GeometricMeanRatio.Compare(control, shadow);

        // scipy.stats.ttest_rel(np.log(y), np.log(x)) -> 8.573212132099874, 5.494730637613963e-16; ratio 1.040869218006812,
        // CI (1.0313426534017889, 1.0504837799741802)
        AssertClose.Relative(1.040869218006812, sut.Ratio);
        AssertClose.Relative(8.573212132099874, sut.T);
        AssertClose.Relative(5.494730637613963e-16, sut.PValue, 1e-5);
        AssertClose.Relative(1.0313426534017889, sut.Interval?.Lower);
        AssertClose.Relative(1.0504837799741802, sut.Interval?.Upper);
    }

    [Fact]
    public void Compare_SameRatioEveryPair_RatioButNoTest()
    {
        var sut = GeometricMeanRatio.Compare([100.0, 200.0, 400.0], [110.0, 220.0, 440.0]);

        AssertClose.Relative(1.1, sut.Ratio, 1e-12);
        Assert.Null(sut.PValue);
        Assert.Null(sut.Interval);
        Assert.NotNull(sut.Reason);
    }

    [Theory]
    [InlineData(0.0, 1.0, "control")]
    [InlineData(1.0, -2.0, "shadow")]
    public void Compare_NonPositiveValue_ThrowsNamingTheSample(double control, double shadow, string parameter)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => GeometricMeanRatio.Compare([1.0, control], [1.0, shadow]));

        Assert.Equal(parameter, error.ParamName);
    }
}
