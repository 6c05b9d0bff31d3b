using Rampart.Stats.Descriptive;
using Rampart.Stats.Sequential;

namespace Rampart.Stats.Tests.Sequential;

public class BernoulliConfidenceSequenceTests(ITestOutputHelper output)
{
    private const double Threshold = 0.05;
    private const int MinimumTrials = 100;

    [Theory]
    // V = t*p0*(1-p0); math.sqrt((V + rho) * math.log((V + rho) / (rho * (2*a)**2)))
    [InlineData(100, 0.05, 0.05, 2.375, 6.374907852818379)]
    [InlineData(1000, 0.05, 0.05, 2.375, 19.53275248416392)]
    [InlineData(0, 0.05, 0.05, 2.375, 3.3071557555884357)]
    [InlineData(500, 0.01, 0.01, 3.0, 8.363546790942983)]
    public void Boundary_Trials_MatchesFormula(long trials, double p0, double alpha, double rho, double expected)
    {
        AssertClose.Relative(expected, BernoulliConfidenceSequence.Boundary(trials, p0, alpha, rho));
    }

    [Fact]
    public void Boundary_DefaultRho_IsFiftyTimesBernoulliVariance()
    {
        Assert.Equal(2.375, BernoulliConfidenceSequence.DefaultRho(0.05), 12);
        Assert.Equal(
            BernoulliConfidenceSequence.Boundary(100, 0.05, 0.05, 2.375),
            BernoulliConfidenceSequence.Boundary(100, 0.05));
    }

    [Fact]
    public void Exceeds_JustAboveAndBelowBoundary_Flips()
    {
        // At t = 100, p0 = 5%: S = x − 5 against a boundary of 6.3749…, so 12 failures cross and 11 do not.
        Assert.True(BernoulliConfidenceSequence.Exceeds(12, 100, Threshold));
        Assert.False(BernoulliConfidenceSequence.Exceeds(11, 100, Threshold));
    }

    [Fact]
    public void Check_NoTrials_NotExceeded()
    {
        var sut = BernoulliConfidenceSequence.Check(0, 0, Threshold);

        Assert.Equal(0.0, sut.Statistic);
        Assert.False(sut.Exceeds);
        AssertClose.Finite(sut.Boundary);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void Boundary_ThresholdAtEdge_Throws(double p0)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BernoulliConfidenceSequence.Boundary(10, p0));
    }

    [Fact]
    public void Exceeds_HealthyRateOfOnePercent_EssentiallyNeverCrosses()
    {
        var crossings = FirstCrossings(trueRate: 0.01, runs: 1000, horizon: 2000, seed: 1);
        output.WriteLine($"{crossings.Count} of 1000 runs at 1% crossed within 2000 requests");

        Assert.True(crossings.Count <= 1, $"{crossings.Count} of 1000 healthy runs crossed");
    }

    [Fact]
    public void Exceeds_RateExactlyAtThreshold_CrossesInAboutAlphaOfRuns()
    {
        var crossings = FirstCrossings(trueRate: Threshold, runs: 1000, horizon: 5000, seed: 2);

        // Asymptotic validity: about α = 5%; allow simulation noise (SD ≈ 0.7 points at 1000 runs).
        var share = crossings.Count / 1000.0;
        output.WriteLine($"{share:P1} of runs at exactly 5% crossed within 5000 requests");
        Assert.True(share <= 0.075, $"{share:P1} of runs at the threshold crossed");
    }

    [Fact]
    public void Exceeds_BadRateOfTenPercent_CrossesQuickly()
    {
        const int Runs = 1000;

        var crossings = FirstCrossings(trueRate: 0.10, runs: Runs, horizon: 5000, seed: 3);

        Assert.Equal(Runs, crossings.Count);
        var sorted = crossings.Order().Select(t => (double)t).ToArray();
        var median = Quantiles.Type7(sorted, 0.5)!.Value;
        var p99 = Quantiles.Type7(sorted, 0.99)!.Value;
        output.WriteLine($"at 10% errors every run crossed: median {median} requests, p99 {p99}");
        Assert.InRange(median, 100, 200);
        Assert.True(p99 <= 1000, $"p99 of the crossing time is {p99} requests");
    }

    // Checks after every request from the 100th; returns the first crossing time of each run that crossed.
    private static List<long> FirstCrossings(double trueRate, int runs, int horizon, int seed)
    {
        var random = new Random(seed);
        var crossings = new List<long>();
        for (var run = 0; run < runs; run++)
        {
            long failures = 0;
            for (long t = 1; t <= horizon; t++)
            {
                failures += random.NextDouble() < trueRate ? 1 : 0;
                if (t >= MinimumTrials && BernoulliConfidenceSequence.Exceeds(failures, t, Threshold))
                {
                    crossings.Add(t);
                    break;
                }
            }
        }

        return crossings;
    }
}
