using Rampart.Stats.Descriptive;
using Rampart.Stats.Sequential;

namespace Rampart.Stats.Tests.Sequential;

public class MsprtTests
{
    [Theory]
    // Λ by numerical integration of the mixture's definition, independent of the closed form:
    // num = scipy.integrate.quad(lambda t: stats.norm.pdf(th, t, sqrt(V)) * stats.norm.pdf(t, 0, tau), -inf, inf, epsabs=0, epsrel=1e-12, limit=200)[0]
    // lam = num / stats.norm.pdf(th, 0, sqrt(V)); p = min(1, 1/lam)
    [InlineData(0.05, 0.0004, 0.1, 3.9580814411072818, 0.2526476564161469)]
    [InlineData(0.0, 0.01, 0.1, 0.7071067811865477, 1.0)]
    [InlineData(0.03, 0.0002, 0.02, 2.587504391183885, 0.38647277407806085)]
    [InlineData(-0.2, 0.0025, 0.1, 269.15328332058226, 0.003715355011326104)]
    [InlineData(1.2, 0.09, 0.5, 184.52500219222787, 0.005419319810972042)]
    public void SingleLook_DifferenceAndVariance_MatchesNumericalMixtureIntegral(
        double difference, double variance, double tau, double expectedRatio, double expectedP)
    {
        var sut = Msprt.SingleLook(difference, variance, tau);

        AssertClose.Relative(Math.Log(expectedRatio), sut.LogLikelihoodRatio);
        AssertClose.PValue(expectedP, sut.PValue);
        Assert.Null(sut.Reason);
    }

    [Fact]
    public void SingleLook_Summaries_UsesDifferenceOfMeansAndPlugInVariance()
    {
        var control = SampleSummary.Of(100, 1.00, 0.02);
        var variant = SampleSummary.Of(100, 1.05, 0.02);

        var sut = Msprt.SingleLook(control, variant, 0.1);

        // θ = 0.05, V = 0.02/100 + 0.02/100 = 0.0004: the first reference case.
        AssertClose.PValue(0.2526476564161469, sut.PValue);
    }

    [Fact]
    public void SingleLook_ZeroVariance_NullsWithReason()
    {
        var sut = Msprt.SingleLook(0.3, 0, 0.1);

        Assert.Null(sut.LogLikelihoodRatio);
        Assert.Null(sut.PValue);
        Assert.Equal("zero variance in both groups", sut.Reason);
    }

    [Fact]
    public void SingleLook_OverwhelmingEvidence_ZeroPValueNotInfinity()
    {
        var sut = Msprt.SingleLook(1e6, 1e-300, 1);

        Assert.Equal(0.0, sut.PValue);
        Assert.Null(sut.LogLikelihoodRatio);
        Assert.NotNull(sut.Reason);
    }

    [Fact]
    public void SingleLook_OneObservationInControl_NullsWithReason()
    {
        var sut = Msprt.SingleLook(SampleStatistics.Summarize([1.0]), SampleStatistics.Summarize([1.0, 2.0]), 0.1);

        Assert.Null(sut.PValue);
        Assert.Equal("fewer than 2 observations in the control", sut.Reason);
    }

    [Fact]
    public void SingleLook_NonPositiveTau_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Msprt.SingleLook(0.1, 0.01, 0));
    }
}
