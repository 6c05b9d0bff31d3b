using Rampart.Stats.Paired;

namespace Rampart.Stats.Tests.Paired;

/// <summary>Every paired test rejects bad samples the same way, naming the parameter.</summary>
public class PairedSamplesTests
{
    public static TheoryData<string> Tests => ["wilcoxon", "t", "geometric", "quantiles"];

    [Theory]
    [MemberData(nameof(Tests))]
    public void Compare_MismatchedLengths_ThrowsNamingShadow(string test)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => Run(test, [1.0, 2.0, 3.0], [1.0, 2.0]));

        Assert.Equal("shadow", error.ParamName);
        Assert.Contains("'control' has 3 values but 'shadow' has 2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Tests))]
    public void Compare_NaNInControl_ThrowsNamingControl(string test)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => Run(test, [1.0, double.NaN], [1.0, 2.0]));

        Assert.Equal("control", error.ParamName);
    }

    [Theory]
    [MemberData(nameof(Tests))]
    public void Compare_InfinityInShadow_ThrowsNamingShadow(string test)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => Run(test, [1.0, 2.0], [1.0, double.PositiveInfinity]));

        Assert.Equal("shadow", error.ParamName);
    }

    [Theory]
    [MemberData(nameof(Tests))]
    public void Compare_ConfidenceOutsideOpenUnit_Throws(string test)
    {
        if (test == "wilcoxon")
        {
            return;
        }

        Assert.ThrowsAny<ArgumentException>(() => Run(test, [1.0, 2.0], [1.0, 2.0], confidence: 1.0));
    }

    private static object Run(string test, double[] control, double[] shadow, double confidence = 0.95) => test switch
    {
        "wilcoxon" => WilcoxonSignedRankTest.Compare(control, shadow),
        "t" => PairedTTest.Compare(control, shadow, confidence),
        "geometric" => GeometricMeanRatio.Compare(control, shadow, confidence),
        _ => PairedRatioQuantiles.Of(control, shadow, confidence),
    };
}
