namespace Rampart.Stats.Tests;

public class AgreementTests
{
    [Fact]
    public void Pearson_JudgeAgainstHuman_MatchesScipy()
    {
        // scipy.stats.pearsonr(x, y).statistic → 0.8913061270950947
        double[] x = [0.25, 0.5, 0.75, 1.0, 1.0, 0.0, 0.5, 0.75, 0.25, 1.0];
        double[] y = [0.2, 0.6, 0.6, 0.9, 0.8, 0.1, 0.3, 0.9, 0.4, 0.7];

        AssertClose.Relative(0.8913061270950947, Agreement.Pearson(x, y));
    }

    [Fact]
    public void Pearson_LargeOffset_MatchesScipy()
    {
        // x2 = [1,2,3,4,5,1,2,3,4,5,3,3]; y2 = [1,3,2,5,4,2,2,3,5,4,1,5]
        // scipy.stats.pearsonr([1e6 + v for v in x2], y2).statistic → 0.671941230110497
        double[] x = [.. new[] { 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 3, 3 }.Select(v => 1e6 + v)];
        double[] y = [1, 3, 2, 5, 4, 2, 2, 3, 5, 4, 1, 5];

        AssertClose.Relative(0.671941230110497, Agreement.Pearson(x, y));
    }

    [Fact]
    public void Pearson_ConstantRaterOrOnePair_Null()
    {
        Assert.Null(Agreement.Pearson([1, 1, 1], [0.2, 0.5, 0.9]));
        Assert.Null(Agreement.Pearson([1], [0.2]));
    }

    [Theory]
    // sklearn.metrics.cohen_kappa_score([1,1,0,1,0,0,1,1,1,0,1,0,1,1], [1,0,0,1,0,1,1,1,0,0,1,0,1,1]) → 0.5531914893617021
    [InlineData("11010011101011", "10010111001011", 0.5531914893617021, 11.0 / 14)]
    // sklearn.metrics.cohen_kappa_score([1,1,1,1,0,1,1,1], [1,1,1,1,1,1,1,0]) → -0.1428571428571428
    [InlineData("11110111", "11111110", -0.1428571428571428, 6.0 / 8)]
    public void CohenKappa_BinaryVerdicts_MatchesSklearn(string first, string second, double expected, double agreement)
    {
        var (a, b) = (first.Select(c => c == '1').ToArray(), second.Select(c => c == '1').ToArray());

        AssertClose.Relative(expected, Agreement.CohenKappa(a, b));
        Assert.Equal(agreement, Agreement.ObservedAgreement(a, b)!.Value, 12);
    }

    [Fact]
    public void CohenKappa_BothRatersGiveOneVerdictToEveryItem_Null()
    {
        Assert.Null(Agreement.CohenKappa([true, true], [true, true]));
        Assert.Null(Agreement.CohenKappa([], []));
    }

    [Fact]
    public void Pearson_UnpairedValues_Throws()
    {
        Assert.Throws<ArgumentException>(() => Agreement.Pearson([1, 2], [1]));
    }
}
