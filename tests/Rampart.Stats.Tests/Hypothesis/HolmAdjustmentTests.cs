using Rampart.Stats.Hypothesis;

namespace Rampart.Stats.Tests.Hypothesis;

public class HolmAdjustmentTests
{
    public static TheoryData<double[], double[]> StatsmodelsCases => new()
    {
        // statsmodels.stats.multitest.multipletests(p, method="holm")[1]
        { [0.01, 0.04, 0.03, 0.005], [0.03, 0.06, 0.06, 0.02] },
        { [0.2, 0.01, 0.5, 0.04, 0.04], [0.4, 0.05, 0.5, 0.16, 0.16] },
        { [0.9, 0.6, 0.7], [1.0, 1.0, 1.0] },
        { [0.03], [0.03] },
    };

    [Theory]
    [MemberData(nameof(StatsmodelsCases))]
    public void Adjust_PValues_MatchesStatsmodels(double[] pValues, double[] expected)
    {
        var sut = HolmAdjustment.Adjust(pValues.Select(p => (double?)p).ToArray());

        Assert.Equal(expected.Length, sut.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            AssertClose.PValue(expected[i], sut[i]);
        }
    }

    [Fact]
    public void Adjust_WithNulls_SkipsThemAndKeepsPositions()
    {
        // The present values are the first statsmodels case: multipletests([0.01, 0.04, 0.03, 0.005], method="holm")[1]
        var sut = HolmAdjustment.Adjust([0.01, null, 0.04, 0.03, null, 0.005]);

        Assert.Equal(6, sut.Length);
        Assert.Null(sut[1]);
        Assert.Null(sut[4]);
        AssertClose.PValue(0.03, sut[0]);
        AssertClose.PValue(0.06, sut[2]);
        AssertClose.PValue(0.06, sut[3]);
        AssertClose.PValue(0.02, sut[5]);
    }

    [Fact]
    public void Adjust_Empty_ReturnsEmpty()
    {
        Assert.Empty(HolmAdjustment.Adjust([]));
    }

    [Fact]
    public void Adjust_AllNull_ReturnsAllNull()
    {
        Assert.All(HolmAdjustment.Adjust([null, null]), p => Assert.Null(p));
    }

    [Fact]
    public void Adjust_ProbabilityAboveOne_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HolmAdjustment.Adjust([0.5, 1.5]));
    }
}
