using MathNet.Numerics.Distributions;
using Rampart.Stats.Descriptive;
using Rampart.Stats.Hypothesis;
using Rampart.Stats.Sequential;

namespace Rampart.Stats.Tests.Sequential;

public class MsprtTrackerTests(ITestOutputHelper output)
{
    // σ = 1 in the simulations, so τ = 0.1 tunes the test to a tenth of a standard deviation: the smallest lift worth
    // shipping for a score, and one that 10,000 units per variant detect with ample power (SE of the difference 0.014).
    // A much smaller τ would only pay off beyond this horizon; a much larger one would spend power on effects we never see.
    private const double Tau = 0.1;

    [Fact]
    public void Observe_Looks_KeepsRunningMinimumOfSingleLookValues()
    {
        var sut = new MsprtTracker(0.1);

        var first = sut.Observe(-0.2, 0.0025);
        var second = sut.Observe(0.0, 0.01);

        AssertClose.PValue(0.003715355011326104, first); // 1/Λ of the fourth MsprtTests reference case
        Assert.Equal(first, second);
        Assert.Equal(first, sut.PValue);
    }

    [Fact]
    public void Observe_LookWithoutVariance_LeavesPValueUnchanged()
    {
        var sut = new MsprtTracker(0.1, pValue: 0.4);

        var p = sut.Observe(0.3, 0);

        Assert.Equal(0.4, p);
    }

    [Fact]
    public void PValue_BeforeAnyLook_IsOne()
    {
        Assert.Equal(1.0, new MsprtTracker(0.1).PValue);
    }

    [Fact]
    public void Observe_PeekingAaSimulation_StaysBelowAlphaWhereFixedHorizonDoesNot()
    {
        // 200 A/A runs, N(0, 1) in both variants, a look after every 100 observations per variant up to 10,000.
        const int Runs = 200;
        const int Batch = 100;
        const int Horizon = 10_000;
        var random = new Random(4242);
        int fixedHorizonFired = 0, msprtFired = 0;

        for (var run = 0; run < Runs; run++)
        {
            var sut = new MsprtTracker(Tau);
            RunningMoments control = default, variant = default;
            bool fixedRejected = false, msprtRejected = false;
            for (var n = Batch; n <= Horizon && !(fixedRejected && msprtRejected); n += Batch)
            {
                for (var i = 0; i < Batch; i++)
                {
                    control = control.Add(Normal.Sample(random, 0, 1));
                    variant = variant.Add(Normal.Sample(random, 0, 1));
                }

                fixedRejected |= WelchTest.Compare(control.ToSummary(), variant.ToSummary()).PValue < 0.05;
                msprtRejected |= sut.Observe(control.ToSummary(), variant.ToSummary()) <= 0.05;
            }

            fixedHorizonFired += fixedRejected ? 1 : 0;
            msprtFired += msprtRejected ? 1 : 0;
        }

        var fixedRate = (double)fixedHorizonFired / Runs;
        var msprtRate = (double)msprtFired / Runs;
        output.WriteLine($"A/A runs ever rejecting: fixed-horizon {fixedRate:P1}, mSPRT {msprtRate:P1}");
        Assert.True(fixedRate >= 0.15, $"fixed-horizon rule fired in {fixedRate:P1} of A/A runs");
        Assert.True(msprtRate <= 0.05, $"mSPRT fired in {msprtRate:P1} of A/A runs");
    }

    [Fact]
    public void Observe_TrueEffectOfTau_DetectsInMostRuns()
    {
        // The flip side of validity: a real difference of τ is found well within the horizon.
        const int Runs = 100;
        var random = new Random(99);
        var detected = 0;

        for (var run = 0; run < Runs; run++)
        {
            var sut = new MsprtTracker(Tau);
            RunningMoments control = default, variant = default;
            for (var n = 100; n <= 10_000 && sut.PValue > 0.05; n += 100)
            {
                for (var i = 0; i < 100; i++)
                {
                    control = control.Add(Normal.Sample(random, 0, 1));
                    variant = variant.Add(Normal.Sample(random, Tau, 1));
                }

                sut.Observe(control.ToSummary(), variant.ToSummary());
            }

            detected += sut.PValue <= 0.05 ? 1 : 0;
        }

        output.WriteLine($"detected a true difference of tau in {detected} of {Runs} runs");
        Assert.True(detected >= 90, $"detected in {detected} of {Runs} runs");
    }
}
