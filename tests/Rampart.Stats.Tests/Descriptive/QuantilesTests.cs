using Rampart.Stats.Descriptive;

namespace Rampart.Stats.Tests.Descriptive;

public class QuantilesTests
{
    [Theory]
    // np.quantile(a, q) with a = ReferenceData.ControlLatencies
    [InlineData(0.0, 745.2)]
    [InlineData(0.1, 801.16)]
    [InlineData(0.25, 860.425)]
    [InlineData(0.5, 969.4)]
    [InlineData(0.9, 1301.0800000000002)]
    [InlineData(0.95, 1352.195)]
    [InlineData(0.99, 1392.279)]
    [InlineData(1.0, 1402.3)]
    public void Type7_LiteralSample_MatchesNumPy(double q, double expected)
    {
        var sorted = ReferenceData.ControlLatencies.Order().ToArray();

        AssertClose.Relative(expected, Quantiles.Type7(sorted, q));
    }

    [Theory]
    // x = 200 + 800 * np.array(lcg(42, 1000))**3; np.quantile(x, q)
    [InlineData(0.5, 302.22368625285526)]
    [InlineData(0.95, 876.3070295630398)]
    [InlineData(0.99, 965.470882472491)]
    [InlineData(0.999, 994.5467483119282)]
    public void Type7_LcgSample_MatchesNumPy(double q, double expected)
    {
        var sorted = ReferenceData.LcgSkewed().Order().ToArray();

        AssertClose.Relative(expected, Quantiles.Type7(sorted, q));
    }

    [Fact]
    public void Type7_Empty_ReturnsNull()
    {
        Assert.Null(Quantiles.Type7([], 0.5));
    }

    [Fact]
    public void Type7_OneValue_ReturnsIt()
    {
        Assert.Equal(7.0, Quantiles.Type7([7.0], 0.99));
    }

    [Fact]
    public void Type7_IdenticalValues_ReturnsThatValue()
    {
        Assert.Equal(2.5, Quantiles.Type7([2.5, 2.5, 2.5], 0.95));
    }

    [Fact]
    public void Type7_Unsorted_Throws()
    {
        Assert.Throws<ArgumentException>(() => Quantiles.Type7([3.0, 1.0, 2.0], 0.5));
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    public void Type7_ProbabilityOutsideUnitInterval_Throws(double q)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Quantiles.Type7([1.0, 2.0], q));
    }
}
