using Rampart.Stats.Hypothesis;

namespace Rampart.Stats.Tests.Hypothesis;

public class ScaledDifferenceTestTests
{
    [Theory]
    // p1, p2 = x1/n1, x2/n2; z = (p2 - k*p1) / np.sqrt(p2*(1-p2)/n2 + k**2*p1*(1-p1)/n1); scipy.stats.norm.sf(z)
    [InlineData(50, 5000, 62, 5000, 1.1, 0.636032039978651, 0.2623777695205245)]
    [InlineData(10, 1000, 30, 1000, 1.1, 2.9644468588257435, 0.0015161380511170418)]
    [InlineData(0, 400, 3, 400, 1.1, 1.7385827633992337, 0.04105409028690367)]
    [InlineData(200, 2000, 190, 2100, 1.5, -5.022867834886494, 0.9999997454721182)]
    public void Compare_Counts_MatchesSciPyNormalTail(long x1, long n1, long x2, long n2, double k, double expectedZ, double expectedP)
    {
        var sut = ScaledDifferenceTest.Compare(new BinomialCount(x1, n1), new BinomialCount(x2, n2), k);

        AssertClose.Relative(expectedZ, sut.Z);
        AssertClose.PValue(expectedP, sut.PValue);
        AssertClose.Relative(((double)x2 / n2) - (k * x1 / n1), sut.Excess);
        Assert.Null(sut.Reason);
    }

    [Fact]
    public void Compare_NoErrorsInEitherGroup_NullsWithReason()
    {
        var sut = ScaledDifferenceTest.Compare(new BinomialCount(0, 500), new BinomialCount(0, 480), 1.1);

        Assert.Equal(0.0, sut.Excess);
        Assert.Null(sut.Z);
        Assert.Null(sut.PValue);
        Assert.Equal("both rates are 0 or 1, so the Wald standard error is zero", sut.Reason);
    }

    [Fact]
    public void Compare_NoTrialsInVariant_NullsWithReason()
    {
        var sut = ScaledDifferenceTest.Compare(new BinomialCount(1, 50), default, 1.1);

        Assert.Null(sut.PValue);
        Assert.Equal("no trials in the variant", sut.Reason);
    }
}
