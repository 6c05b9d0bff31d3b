using System.Reflection;
using Rampart.Stats.Descriptive;
using Rampart.Stats.Hypothesis;
using Rampart.Stats.Paired;
using Rampart.Stats.Power;
using Rampart.Stats.Ratios;
using Rampart.Stats.Sequential;

namespace Rampart.Stats.Tests;

/// <summary>Across every result type: degenerate input yields nulls with a reason, never NaN or infinity.</summary>
public class DegenerateInputTests
{
    public static TheoryData<string> CaseNames => [.. Cases().Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Result_DegenerateInput_NullsCarryReasonAndNoValueIsNonFinite(string name)
    {
        var result = Cases().Single(c => c.Name == name).Result();

        var hasNull = false;
        foreach (var property in result.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            switch (property.GetValue(result))
            {
                case double value:
                    Assert.True(double.IsFinite(value), $"{name}: {property.Name} = {value}");
                    break;
                case ConfidenceInterval interval:
                    Assert.True(double.IsFinite(interval.Lower) && double.IsFinite(interval.Upper), $"{name}: {property.Name} = {interval}");
                    break;
                case null when property.PropertyType != typeof(string):
                    hasNull = true;
                    break;
            }
        }

        var reason = result.GetType().GetProperty("Reason")?.GetValue(result);
        Assert.True(!hasNull || reason is string { Length: > 0 }, $"{name}: a value is null but no reason is given");
    }

    private static IEnumerable<(string Name, Func<object> Result)> Cases()
    {
        SampleSummary Summary(params double[] values) => SampleStatistics.Summarize(values);
        RatioAccumulator Units(params (double Value, double Count)[] units) =>
            units.Aggregate(default(RatioAccumulator), (a, u) => a.Add(u.Value, u.Count));

        yield return ("summary of nothing", () => Summary());
        yield return ("summary of one value", () => Summary(1));
        yield return ("moments of nothing", () => default(RunningMoments).ToSummary());
        yield return ("welch n=0", () => WelchTest.Compare(Summary(), Summary()));
        yield return ("welch n=1", () => WelchTest.Compare(Summary(1), Summary(2)));
        yield return ("welch identical values", () => WelchTest.Compare(Summary(5, 5, 5), Summary(5, 5)));
        yield return ("welch difference overflows", () => WelchTest.Compare(SampleSummary.Of(2, -1e308, 1), SampleSummary.Of(2, 1e308, 1)));
        yield return ("welch tiny variance", () => WelchTest.Compare(SampleSummary.Of(2, 0, 1e-300), SampleSummary.Of(2, 1e10, 1e-300)));
        yield return ("proportions n=0", () => TwoProportionTest.Compare(default, default));
        yield return ("proportions p=0", () => TwoProportionTest.Compare(new BinomialCount(0, 10), new BinomialCount(0, 10)));
        yield return ("proportions p=1", () => TwoProportionTest.Compare(new BinomialCount(10, 10), new BinomialCount(3, 3)));
        yield return ("proportions 0 vs 1", () => TwoProportionTest.Compare(new BinomialCount(0, 1), new BinomialCount(1, 1)));
        yield return ("scaled p=0", () => ScaledDifferenceTest.Compare(new BinomialCount(0, 10), new BinomialCount(0, 10), 1.1));
        yield return ("scaled n=0", () => ScaledDifferenceTest.Compare(default, new BinomialCount(0, 10), 1.1));
        yield return ("goodness of fit empty", () => ChiSquareTest.GoodnessOfFit([0, 0], [1, 1]));
        yield return ("goodness of fit impossible category", () => ChiSquareTest.GoodnessOfFit([1, 1], [1, 0]));
        yield return ("independence zero column", () => ChiSquareTest.Independence([[0, 1], [0, 2]]));
        yield return ("sample size equal rates", () => SampleSize.ForTwoProportions(0.3, 0.3));
        yield return ("sample size tiny effect", () => SampleSize.ForTwoProportions(0.3, 0.3000000000001));
        yield return ("sample size from 0 to 1", () => SampleSize.ForTwoProportions(0, 1));
        yield return ("ratio of nothing", () => default(RatioAccumulator).ToEstimate());
        yield return ("ratio without requests", () => Units((0, 0), (0, 0)).ToEstimate());
        yield return ("delta method n=0", () => DeltaMethodTest.Compare(default(RatioAccumulator), default(RatioAccumulator)));
        yield return ("delta method n=1", () => DeltaMethodTest.Compare(Units((1, 1)), Units((2, 1))));
        yield return ("delta method identical units", () => DeltaMethodTest.Compare(Units((2, 1), (2, 1)), Units((2, 1), (2, 1))));
        yield return ("msprt zero variance", () => Msprt.SingleLook(1, 0, 0.1));
        yield return ("msprt overwhelming", () => Msprt.SingleLook(1e300, 1e-300, 1));
        yield return ("msprt n=1", () => Msprt.SingleLook(Summary(1), Summary(1, 2), 0.1));
        yield return ("boundary at t=0", () => BernoulliConfidenceSequence.Check(0, 0, 0.05));
        yield return ("mcnemar n=0", () => McNemarTest.Compare(0, 0));
        yield return ("mcnemar no discordant pairs", () => McNemarTest.Compare(0, 0, 3, 97));
        yield return ("mcnemar all discordant one way", () => McNemarTest.Compare(0, 9));
        yield return ("wilcoxon n=0", () => WilcoxonSignedRankTest.Compare([], []));
        yield return ("wilcoxon all differences zero", () => WilcoxonSignedRankTest.Compare([1.0, 2.0], [1.0, 2.0]));
        yield return ("wilcoxon one pair", () => WilcoxonSignedRankTest.Compare([1.0], [2.0]));
        yield return ("paired t n=0", () => PairedTTest.Compare([], []));
        yield return ("paired t n=1", () => PairedTTest.Compare([1.0], [2.0]));
        yield return ("paired t all differences zero", () => PairedTTest.Compare([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]));
        yield return ("geometric ratio n=0", () => GeometricMeanRatio.Compare([], []));
        yield return ("geometric ratio identical", () => GeometricMeanRatio.Compare([5.0, 7.0], [5.0, 7.0]));
        yield return ("geometric ratio overflows", () => GeometricMeanRatio.Compare([1e-300, 1e-300, 2e-300], [1e300, 1e300, 1e300]));
        yield return ("ratio quantiles n=0", () => PairedRatioQuantiles.Of([], []));
        yield return ("ratio quantiles n=1", () => PairedRatioQuantiles.Of([2.0], [3.0]));
        yield return ("win rate n=0", () => WinRate.Of(0, 0, 0));
        yield return ("win rate only ties", () => WinRate.Of(0, 0, 4));
    }
}
