using Rampart.Stats.Hypothesis;

namespace Rampart.Stats.Paired;

/// <summary>The shadow's win rate over the control from a pairwise judge's preferences on the same requests.</summary>
public static class WinRate
{
    /// <summary>
    /// Rate = (wins + ties/2)/n with the Wilson interval (<c>proportion_confint(wins + ties/2, n, method="wilson")</c>: ties
    /// count half, so the rate is ½ when nothing separates the variants); the p-value is the two-sided sign test
    /// <c>scipy.stats.binomtest(wins, wins + losses, 0.5).pvalue</c>, which ignores ties.
    /// </summary>
    /// <param name="wins">Comparisons the judge gave to the shadow.</param>
    /// <param name="losses">Comparisons the judge gave to the control.</param>
    /// <param name="ties">Comparisons with no preference.</param>
    /// <param name="confidence">Confidence level of the interval; 0.95 by default.</param>
    public static WinRateResult Of(long wins, long losses, long ties, double confidence = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(wins);
        ArgumentOutOfRangeException.ThrowIfNegative(losses);
        ArgumentOutOfRangeException.ThrowIfNegative(ties);
        Guard.OpenUnit(confidence);

        var decided = checked(wins + losses);
        var comparisons = checked(decided + ties);
        if (comparisons == 0)
        {
            return new WinRateResult(0, null, null, null, "no comparisons");
        }

        var rate = (wins + (ties / 2.0)) / comparisons;
        var interval = WilsonInterval.Of(rate, comparisons, confidence);
        return decided == 0
            ? new WinRateResult(comparisons, rate, interval, null, "every comparison is a tie")
            : new WinRateResult(comparisons, rate, interval, Tails.TwoSidedBinomialHalf(wins, decided), null);
    }
}
