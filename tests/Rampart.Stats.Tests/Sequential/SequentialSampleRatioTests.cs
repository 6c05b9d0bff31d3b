using Rampart.Stats.Sequential;

namespace Rampart.Stats.Tests.Sequential;

public sealed class SequentialSampleRatioTests
{
    // Reference: an independent implementation on Python's math.lgamma,
    //   def logbf(x, w, k=100.0):
    //       t = [wi / sum(w) for wi in w]; n = sum(x)
    //       return lgamma(k) - lgamma(k + n) + sum(lgamma(k*ti + xi) - lgamma(k*ti) - xi*log(ti) for xi, ti in zip(x, t))
    [Theory]
    [InlineData(new long[] { 500, 500 }, new double[] { 50, 50 }, -1.2012203220429)]
    [InlineData(new long[] { 560, 440 }, new double[] { 50, 50 }, 5.3632688960015)]
    [InlineData(new long[] { 8123, 1010, 867 }, new double[] { 80, 10, 10 }, 5.57594844076084)]
    [InlineData(new long[] { 0, 0 }, new double[] { 1, 1 }, 0.0)]
    [InlineData(new long[] { 30, 10, 10 }, new double[] { 60, 20, 20 }, -0.40842757572369237)]
    [InlineData(new long[] { 1000, 1300 }, new double[] { 50, 50 }, 17.215589556590203)]
    public void LogBayesFactor_MatchesIndependentLgammaImplementation(long[] observed, double[] weights, double expected)
    {
        Assert.Equal(expected, SequentialSampleRatio.LogBayesFactor(observed, weights), 9);
    }

    [Fact]
    public void PValue_LookedAtAfterEveryUnit_FalseAlarmRateWithinAlpha_WhileTheChiSquareLookedAtAsOftenIsNot()
    {
        // Direct simulation: 80/20 assignment as configured, a look after every unit from the 20th to the 2,000th.
        const int runs = 500;
        const double alpha = 0.05;
        var random = new Random(11);
        int sequential = 0, chiSquare = 0;
        for (var run = 0; run < runs; run++)
        {
            var counts = new long[2];
            bool seqHit = false, chiHit = false;
            for (var n = 1; n <= 2_000 && !(seqHit && chiHit); n++)
            {
                counts[random.NextDouble() < 0.8 ? 0 : 1]++;
                if (n >= 20)
                {
                    seqHit |= SequentialSampleRatio.PValue(counts, [80, 20]) <= alpha;
                    chiHit |= Rampart.Stats.Hypothesis.ChiSquareTest.GoodnessOfFit(counts, [80, 20]).PValue <= alpha;
                }
            }

            sequential += seqHit ? 1 : 0;
            chiSquare += chiHit ? 1 : 0;
        }

        Assert.True(sequential <= runs * alpha, $"sequential false alarms {sequential} of {runs}");
        Assert.True(chiSquare > runs * 3 * alpha, $"the chi-square looked at every unit should alarm far more often: {chiSquare} of {runs}");
    }

    [Fact]
    public void PValue_RealMismatch_FoundAsUnitsAccumulate()
    {
        Assert.True(SequentialSampleRatio.PValue([5_300, 4_700], [50, 50]) < 0.001);
        Assert.Equal(1, SequentialSampleRatio.PValue([500, 500], [50, 50]));
    }
}
