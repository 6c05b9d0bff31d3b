using Rampart.Stats.Paired;

namespace Rampart.Stats.Tests.Paired;

// The median's interval: r = np.sort(y / x); n = len(r);
// k = max(j for j in range(1, n//2 + 1) if scipy.stats.binom.cdf(j - 1, n, 0.5) <= (1 - c)/2);
// interval (r[k-1], r[n-k]), coverage 1 - 2 * scipy.stats.binom.cdf(k - 1, n, 0.5).
public class PairedRatioQuantilesTests
{
    [Fact]
    public void Of_LiteralPairs_MatchesNumPyAndBinomialOrderStatistics()
    {
        var sut = PairedRatioQuantiles.Of(ReferenceData.ControlLatencies, ReferenceData.ShadowLatencies);

        // np.median(s / a) = 1.0208319477260677; k = 3 -> (0.9725538461538462, 1.0451687784118384), coverage 0.96142578125
        // np.percentile(s, 95) / np.percentile(a, 95) = 0.9744415561365041
        AssertClose.Relative(1.0208319477260677, sut.MedianRatio);
        AssertClose.Relative(0.9725538461538462, sut.MedianInterval?.Lower);
        AssertClose.Relative(1.0451687784118384, sut.MedianInterval?.Upper);
        AssertClose.Relative(0.96142578125, sut.MedianCoverage);
        AssertClose.Relative(0.9744415561365041, sut.P95Ratio);
        Assert.Null(sut.Reason);
    }

    [Fact]
    public void Of_EightPairs_WidestIntervalFromExtremes()
    {
        double[] control = [100, 120, 130, 150, 160, 170, 180, 200];
        double[] shadow = [110, 135, 125, 160, 150, 190, 175, 215];

        var sut = PairedRatioQuantiles.Of(control, shadow);

        // np.median(ns / nc) = 1.0708333333333333; k = 1 -> (0.9375, 1.125), coverage 0.9921875; p95 ratio 1.0686528497409327
        AssertClose.Relative(1.0708333333333333, sut.MedianRatio);
        AssertClose.Relative(0.9375, sut.MedianInterval?.Lower);
        AssertClose.Relative(1.125, sut.MedianInterval?.Upper);
        AssertClose.Relative(0.9921875, sut.MedianCoverage);
        AssertClose.Relative(1.0686528497409327, sut.P95Ratio);
    }

    [Fact]
    public void Of_LargeSkewed_MatchesNumPyAndBinomialOrderStatistics()
    {
        var (control, shadow) = ReferenceData.LcgPaired();

        var sut = PairedRatioQuantiles.Of(control, shadow);

        // np.median(y / x) = 1.0377691246129728; k = 133 -> (1.017843914557492, 1.055630167592413), coverage 0.9568715007227784
        // np.percentile(y, 95) / np.percentile(x, 95) = 1.0304417529512222
        AssertClose.Relative(1.0377691246129728, sut.MedianRatio);
        AssertClose.Relative(1.017843914557492, sut.MedianInterval?.Lower);
        AssertClose.Relative(1.055630167592413, sut.MedianInterval?.Upper);
        AssertClose.Relative(0.9568715007227784, sut.MedianCoverage);
        AssertClose.Relative(1.0304417529512222, sut.P95Ratio);
    }

    [Fact]
    public void Of_NinetyPercentConfidence_MatchesBinomialOrderStatistics()
    {
        var (control, shadow) = ReferenceData.LcgPaired();

        var sut = PairedRatioQuantiles.Of(control, shadow, 0.90);

        // c = 0.90: k = 136 -> (1.0219669714666275, 1.050633632019533), coverage 0.9060962990811805
        AssertClose.Relative(1.0219669714666275, sut.MedianInterval?.Lower);
        AssertClose.Relative(1.050633632019533, sut.MedianInterval?.Upper);
        AssertClose.Relative(0.9060962990811805, sut.MedianCoverage);
    }

    [Fact]
    public void Of_FivePairs_MedianWithoutInterval()
    {
        var sut = PairedRatioQuantiles.Of([1.0, 1.0, 1.0, 1.0, 1.0], [1.0, 2.0, 3.0, 4.0, 5.0]);

        // With n = 5, P(X ≤ 0) = 1/32 > 0.025: no order statistics give 95%.
        Assert.Equal(3.0, sut.MedianRatio);
        Assert.Null(sut.MedianInterval);
        Assert.Null(sut.MedianCoverage);
        Assert.NotNull(sut.Reason);
    }

    [Fact]
    public void Of_NoPairs_NullsWithReason()
    {
        var sut = PairedRatioQuantiles.Of([], []);

        Assert.Null(sut.MedianRatio);
        Assert.Null(sut.P95Ratio);
        Assert.Equal("no pairs", sut.Reason);
    }
}
