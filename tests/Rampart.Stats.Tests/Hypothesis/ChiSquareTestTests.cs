using Rampart.Stats.Hypothesis;

namespace Rampart.Stats.Tests.Hypothesis;

public class ChiSquareTestTests
{
    [Fact]
    public void GoodnessOfFit_EvenSplitMismatch_MatchesSciPy()
    {
        var sut = ChiSquareTest.GoodnessOfFit([5210, 4790], [50, 50]);

        // scipy.stats.chisquare([5210, 4790], f_exp=np.array([0.5, 0.5]) * 10000) -> statistic=17.64, pvalue=2.6691498031812692e-05
        AssertClose.Relative(17.64, sut.Statistic);
        Assert.Equal(1, sut.DegreesOfFreedom);
        AssertClose.PValue(2.6691498031812692e-05, sut.PValue);
        AssertClose.Relative(2.6691498031812692e-05, sut.PValue); // the upper tail keeps tiny p-values precise too
    }

    [Fact]
    public void GoodnessOfFit_UnevenWeights_MatchesSciPy()
    {
        var sut = ChiSquareTest.GoodnessOfFit([812, 1633, 2555], [1, 2, 3]);

        // scipy.stats.chisquare([812, 1633, 2555], f_exp=np.array([1, 2, 3]) / 6 * 5000) -> 2.43619999999999, 0.2957916374692802
        AssertClose.Relative(2.43619999999999, sut.Statistic);
        Assert.Equal(2, sut.DegreesOfFreedom);
        AssertClose.PValue(0.2957916374692802, sut.PValue);
    }

    [Fact]
    public void GoodnessOfFit_SevereMismatch_MatchesSciPyInTheFarTail()
    {
        var sut = ChiSquareTest.GoodnessOfFit([402, 98, 51, 49], [80, 10, 5, 5]);

        // scipy.stats.chisquare([402, 98, 51, 49], f_exp=np.array([80, 10, 5, 5]) / 100 * 600) -> 63.475, 1.062936857692463e-13
        AssertClose.Relative(63.474999999999994, sut.Statistic);
        Assert.Equal(3, sut.DegreesOfFreedom);
        AssertClose.Relative(1.062936857692463e-13, sut.PValue);
    }

    [Fact]
    public void GoodnessOfFit_NoObservations_NullsWithReason()
    {
        var sut = ChiSquareTest.GoodnessOfFit([0, 0], [1, 1]);

        Assert.Null(sut.Statistic);
        Assert.Null(sut.PValue);
        Assert.Equal("no observations", sut.Reason);
    }

    [Fact]
    public void GoodnessOfFit_ZeroWeightWithoutObservations_DropsCategory()
    {
        var sut = ChiSquareTest.GoodnessOfFit([5210, 0, 4790], [50, 0, 50]);

        AssertClose.Relative(17.64, sut.Statistic);
        Assert.Equal(1, sut.DegreesOfFreedom);
    }

    [Fact]
    public void GoodnessOfFit_ObservationsInZeroWeightCategory_NullsWithReason()
    {
        var sut = ChiSquareTest.GoodnessOfFit([10, 3], [1, 0]);

        Assert.Null(sut.PValue);
        Assert.Equal("category 1 has observations but zero expected weight", sut.Reason);
    }

    [Fact]
    public void GoodnessOfFit_OneCategory_NullsWithReason()
    {
        var sut = ChiSquareTest.GoodnessOfFit([10], [1]);

        Assert.Null(sut.PValue);
        Assert.Equal("fewer than 2 categories with expected counts", sut.Reason);
    }

    [Fact]
    public void GoodnessOfFit_LengthMismatch_Throws()
    {
        Assert.Throws<ArgumentException>(() => ChiSquareTest.GoodnessOfFit([1, 2, 3], [1, 1]));
    }

    [Fact]
    public void Independence_TwoByThree_MatchesSciPy()
    {
        var sut = ChiSquareTest.Independence([[10, 20, 30], [15, 25, 12]]);

        // scipy.stats.chi2_contingency(np.array([[10, 20, 30], [15, 25, 12]]), correction=False) -> 8.743019943019943, p 0.01263215197042793, dof 2
        AssertClose.Relative(8.743019943019943, sut.Statistic);
        Assert.Equal(2, sut.DegreesOfFreedom);
        AssertClose.PValue(0.01263215197042793, sut.PValue);
    }

    [Fact]
    public void Independence_ThreeByThree_MatchesSciPy()
    {
        var sut = ChiSquareTest.Independence([[3, 8, 1], [7, 2, 9], [4, 4, 6]]);

        // scipy.stats.chi2_contingency(np.array([[3, 8, 1], [7, 2, 9], [4, 4, 6]]), correction=False) -> 11.232284580498865, p 0.024073832283184902, dof 4
        AssertClose.Relative(11.232284580498865, sut.Statistic);
        Assert.Equal(4, sut.DegreesOfFreedom);
        AssertClose.PValue(0.024073832283184902, sut.PValue);
    }

    [Fact]
    public void Independence_TwoByTwo_EqualsTwoProportionTest()
    {
        var sut = ChiSquareTest.Independence([[48, 952], [70, 930]]);

        // scipy.stats.chi2_contingency(np.array([[48, 952], [70, 930]]), correction=False) -> 4.358868135232983, p 0.036816759303461
        AssertClose.Relative(4.358868135232983, sut.Statistic);
        AssertClose.PValue(0.036816759303461, sut.PValue);
        AssertClose.Relative(TwoProportionTest.Compare(new BinomialCount(48, 1000), new BinomialCount(70, 1000)).PValue!.Value, sut.PValue, 1e-9);
    }

    [Fact]
    public void Independence_EmptyColumn_NullsWithReason()
    {
        var sut = ChiSquareTest.Independence([[0, 5], [0, 7]]);

        Assert.Null(sut.Statistic);
        Assert.Null(sut.PValue);
        Assert.Equal("a row or column of the table sums to zero", sut.Reason);
    }

    [Fact]
    public void Independence_RaggedRows_Throws()
    {
        Assert.Throws<ArgumentException>(() => ChiSquareTest.Independence([[1, 2], [3]]));
    }
}
