using Rampart.Stats.Descriptive;

namespace Rampart.Stats.Tests.Descriptive;

public class SampleStatisticsTests
{
    [Fact]
    public void Mean_LiteralSample_MatchesNumPy()
    {
        // np.mean(a) -> 1012.8333333333335
        AssertClose.Relative(1012.8333333333335, SampleStatistics.Mean(ReferenceData.ControlLatencies));
    }

    [Fact]
    public void Variance_LiteralSample_MatchesNumPyWithDdofOne()
    {
        // np.var(a, ddof=1) -> 43994.855151515156
        AssertClose.Relative(43994.855151515156, SampleStatistics.Variance(ReferenceData.ControlLatencies));
    }

    [Fact]
    public void Summarize_LcgSample_MatchesNumPy()
    {
        // x = 200 + 800 * np.array(lcg(42, 1000))**3; np.mean(x), np.var(x, ddof=1)
        var values = ReferenceData.LcgSkewed();

        var summary = SampleStatistics.Summarize(values);

        Assert.Equal(1000, summary.Count);
        AssertClose.Relative(406.23065333833705, summary.Mean);
        AssertClose.Relative(52537.36969047464, summary.Variance);
        Assert.Null(summary.Reason);
    }

    [Fact]
    public void Summarize_Empty_NullsWithReason()
    {
        var summary = SampleStatistics.Summarize([]);

        Assert.Equal(0, summary.Count);
        Assert.Null(summary.Mean);
        Assert.Null(summary.Variance);
        Assert.Equal("no observations", summary.Reason);
    }

    [Fact]
    public void Summarize_OneValue_MeanButNoVariance()
    {
        var summary = SampleStatistics.Summarize([3.5]);

        Assert.Equal(3.5, summary.Mean);
        Assert.Null(summary.Variance);
        Assert.Null(summary.StandardDeviation);
        Assert.Equal("fewer than 2 observations", summary.Reason);
    }

    [Fact]
    public void Summarize_IdenticalValues_ZeroVariance()
    {
        var summary = SampleStatistics.Summarize([0.1, 0.1, 0.1, 0.1, 0.1]);

        Assert.Equal(0.1, summary.Mean);
        Assert.Equal(0.0, summary.Variance);
    }

    [Fact]
    public void Summarize_NaN_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SampleStatistics.Summarize([1.0, double.NaN]));
    }
}
