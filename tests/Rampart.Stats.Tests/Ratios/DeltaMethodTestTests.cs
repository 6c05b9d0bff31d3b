using MathNet.Numerics.Distributions;
using Rampart.Stats.Descriptive;
using Rampart.Stats.Hypothesis;
using Rampart.Stats.Ratios;

namespace Rampart.Stats.Tests.Ratios;

public class DeltaMethodTestTests(ITestOutputHelper output)
{
    // vy = np.array([1010.0, 2650.2, 700.4, 4320.0, 1900.5, 870.0, 560.2, 3300.3, 1250.0, 2050.8, 905.0, 1610.6, 4400.1, 770.7])
    // vn = np.array([1, 3, 1, 5, 2, 1, 1, 4, 1, 2, 1, 2, 5, 1])
    private static readonly double[] VariantValues = [1010.0, 2650.2, 700.4, 4320.0, 1900.5, 870.0, 560.2, 3300.3, 1250.0, 2050.8, 905.0, 1610.6, 4400.1, 770.7];
    private static readonly double[] VariantCounts = [1, 3, 1, 5, 2, 1, 1, 4, 1, 2, 1, 2, 5, 1];

    [Fact]
    public void Compare_LiteralUnits_MatchesNumPyDeltaMethod()
    {
        var control = RatioAccumulatorTests.Accumulate(RatioAccumulatorTests.ControlValues, RatioAccumulatorTests.ControlCounts);
        var variant = RatioAccumulatorTests.Accumulate(VariantValues, VariantCounts);

        var sut = DeltaMethodTest.Compare(control, variant);

        // dm(y, n): R = y.sum()/n.sum(); V = (np.var(y, ddof=1) - 2*R*np.cov(y, n, ddof=1)[0, 1] + R*R*np.var(n, ddof=1)) / (len(y) * n.mean()**2)
        // se = math.sqrt(V1 + V2); z = (R2 - R1)/se -> -4.547926592719295; 2*scipy.stats.norm.sf(abs(z)) -> 5.417702475219874e-06
        AssertClose.Relative(1140.095652173913, sut.ControlRatio);
        AssertClose.Relative(876.6266666666667, sut.VariantRatio);
        AssertClose.Relative(-4.547926592719295, sut.Z);
        AssertClose.PValue(5.417702475219874e-06, sut.PValue);
        // R2 - R1 -/+ scipy.stats.norm.ppf(0.975) * se
        AssertClose.Relative(-377.012973544386, sut.Interval?.Lower);
        AssertClose.Relative(-149.9249974701069, sut.Interval?.Upper);
        Assert.Null(sut.Reason);
    }

    [Fact]
    public void Compare_OneRequestPerUnit_ReducesToUnequalVarianceZTest()
    {
        var controlValues = ReferenceData.ControlLatencies;
        var variantValues = ReferenceData.VariantLatencies;
        var control = RatioAccumulatorTests.Accumulate(controlValues, [.. controlValues.Select(_ => 1.0)]);
        var variant = RatioAccumulatorTests.Accumulate(variantValues, [.. variantValues.Select(_ => 1.0)]);

        var sut = DeltaMethodTest.Compare(control, variant);

        // CompareMeans(DescrStatsW(b), DescrStatsW(a)).ztest_ind(usevar='unequal') -> (-1.2633319032152386, 0.20646992544508957)
        AssertClose.Relative(-1.2633319032152386, sut.Z);
        AssertClose.PValue(0.20646992544508957, sut.PValue);
        // CompareMeans(DescrStatsW(b), DescrStatsW(a)).zconfint_diff(usevar='unequal') -> (-243.4569196161662, 52.61691961616583)
        AssertClose.Relative(-243.4569196161662, sut.Interval?.Lower);
        AssertClose.Relative(52.61691961616583, sut.Interval?.Upper);
        // Same statistic as Welch's t on the requests; only the reference distribution differs (normal, large-sample).
        var welch = WelchTest.Compare(SampleStatistics.Summarize(controlValues), SampleStatistics.Summarize(variantValues));
        AssertClose.Relative(welch.T!.Value, sut.Z, 1e-12);
        AssertClose.Relative(2 * Normal.CDF(0, 1, -Math.Abs(welch.T.Value)), sut.PValue, 1e-12);
    }

    [Fact]
    public void Compare_ZeroVarianceInBothGroups_NullsWithReason()
    {
        var control = default(RatioAccumulator).Add(4, 2).Add(2, 1);
        var variant = default(RatioAccumulator).Add(9, 3).Add(3, 1);

        var sut = DeltaMethodTest.Compare(control, variant);

        Assert.Equal(1.0, sut.Difference!.Value, 12);
        Assert.Null(sut.Z);
        Assert.Null(sut.PValue);
        Assert.Equal("zero variance in both groups", sut.Reason);
    }

    [Fact]
    public void Compare_OneUnitInControl_NullsWithReason()
    {
        var control = default(RatioAccumulator).Add(4, 2);
        var variant = default(RatioAccumulator).Add(9, 3).Add(3, 2);

        var sut = DeltaMethodTest.Compare(control, variant);

        Assert.Null(sut.PValue);
        Assert.Equal("control: fewer than 2 units", sut.Reason);
    }

    [Fact]
    public void Compare_EmptyVariant_NullsWithReason()
    {
        var control = default(RatioAccumulator).Add(4, 2).Add(5, 1);

        var sut = DeltaMethodTest.Compare(control, default(RatioAccumulator));

        Assert.Null(sut.Difference);
        Assert.Null(sut.PValue);
        Assert.Equal("variant: no units", sut.Reason);
    }

    [Fact]
    public void Compare_ClusteredAaTest_KeepsFalsePositivesNearAlphaWhereRequestLevelWelchDoesNot()
    {
        // A/A: 200 units per variant, each sending 1–20 requests; a unit's requests share its random effect
        // (unit effect ~ N(0, 1), request noise ~ N(0, 1): intra-class correlation 0.5), so requests are not independent.
        // 5000 runs put the simulation's standard error near 0.3 points: the delta method's true rate in this design is
        // about 5.2% (a 20,000-run NumPy simulation of the same design gave 5.18%), so the 6% bound is not a coin flip.
        const int Runs = 5000;
        const int UnitsPerVariant = 200;
        var random = new Random(20261126);
        int requestLevelRejections = 0, deltaMethodRejections = 0;

        for (var run = 0; run < Runs; run++)
        {
            var (controlRequests, controlUnits) = SimulateVariant(random, UnitsPerVariant);
            var (variantRequests, variantUnits) = SimulateVariant(random, UnitsPerVariant);
            if (WelchTest.Compare(controlRequests, variantRequests).PValue < 0.05)
            {
                requestLevelRejections++;
            }

            if (DeltaMethodTest.Compare(controlUnits, variantUnits).PValue < 0.05)
            {
                deltaMethodRejections++;
            }
        }

        var requestLevelRate = (double)requestLevelRejections / Runs;
        var deltaMethodRate = (double)deltaMethodRejections / Runs;
        output.WriteLine($"A/A false positive rate: request-level Welch {requestLevelRate:P2}, delta method {deltaMethodRate:P2}");
        Assert.True(requestLevelRate > 0.20, $"request-level Welch rejected in {requestLevelRate:P1} of A/A runs");
        Assert.True(deltaMethodRate <= 0.06, $"delta method rejected in {deltaMethodRate:P1} of A/A runs");
    }

    private static (SampleSummary Requests, RatioAccumulator Units) SimulateVariant(Random random, int units)
    {
        var counts = new int[units];
        for (var unit = 0; unit < units; unit++)
        {
            counts[unit] = random.Next(1, 21);
        }

        // One batch of N(0, 1) draws per variant (unit effects and request noise): the batch sampler uses both outputs of
        // each polar transform. Plain sums for the request-level summary keep the loop cheap; values are O(1), so Σx² does not cancel.
        var normals = new double[units + counts.Sum()];
        Normal.Samples(random, normals, 0, 1);
        var next = 0;
        double requests = 0, sum = 0, squares = 0;
        var perUnit = default(RatioAccumulator);
        foreach (var count in counts)
        {
            var effect = normals[next++];
            var unitSum = 0.0;
            for (var i = 0; i < count; i++)
            {
                var value = effect + normals[next++];
                unitSum += value;
                squares += value * value;
            }

            requests += count;
            sum += unitSum;
            perUnit = perUnit.Add(unitSum, count);
        }

        var mean = sum / requests;
        return (SampleSummary.Of((long)requests, mean, (squares - (sum * mean)) / (requests - 1)), perUnit);
    }
}
