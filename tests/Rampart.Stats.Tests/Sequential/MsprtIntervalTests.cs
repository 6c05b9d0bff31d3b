using Rampart.Stats.Sequential;

namespace Rampart.Stats.Tests.Sequential;

public class MsprtIntervalTests
{
    [Theory]
    // Half-widths from always_valid_interval.py (beside this file): the θ₀ at which the mixture likelihood ratio, integrated
    // numerically by Simpson's rule from the mixture's definition (not the closed form), reaches 1/α, found by bisection.
    [InlineData(0.05, 0.0004, 0.1, 0.05, 0.06203077793655225)]
    [InlineData(0.03, 0.0002, 0.02, 0.05, 0.046119660132451445)]
    [InlineData(-0.2, 0.0025, 0.1, 0.05, 0.1541194996944547)]
    [InlineData(1.2, 0.09, 0.5, 0.1, 0.8522670184349546)]
    public void AlwaysValidInterval_MatchesNumericalInversionOfTheMixture(double difference, double variance, double tau, double alpha, double halfWidth)
    {
        var sut = Msprt.AlwaysValidInterval(difference, variance, tau, alpha);

        Assert.NotNull(sut);
        AssertClose.Relative(difference - halfWidth, sut.Value.Lower, 1e-9);
        AssertClose.Relative(difference + halfWidth, sut.Value.Upper, 1e-9);
    }

    [Fact]
    public void AlwaysValidInterval_BoundsAreWhereTheShiftedTestRejects()
    {
        var sut = Msprt.AlwaysValidInterval(0.05, 0.0004, 0.1)!.Value;

        // At either bound, the mSPRT of θ = bound sees a difference of θ̂ − bound and its p-value is exactly α.
        AssertClose.Relative(0.05, Msprt.SingleLook(0.05 - sut.Upper, 0.0004, 0.1).PValue, 1e-9);
        AssertClose.Relative(0.05, Msprt.SingleLook(0.05 - sut.Lower, 0.0004, 0.1).PValue, 1e-9);
    }

    [Fact]
    public void AlwaysValidInterval_WiderThanTheFixedHorizonInterval()
    {
        var sut = Msprt.AlwaysValidInterval(0, 0.0004, 0.1)!.Value;

        // The price of looking as often as one likes: wider than ±1.96·√V = ±0.0392.
        Assert.True(sut.Upper > 1.959963984540054 * 0.02);
    }

    [Fact]
    public void AlwaysValidInterval_ZeroVariance_Null()
    {
        Assert.Null(Msprt.AlwaysValidInterval(0.1, 0, 0.1));
    }
}
