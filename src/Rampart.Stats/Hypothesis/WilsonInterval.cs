namespace Rampart.Stats.Hypothesis;

/// <summary>
/// Wilson's score interval for one proportion (Wilson 1927): unlike the Wald interval it stays inside [0, 1] and keeps a
/// non-zero width at 0 and at n successes out of n.
/// </summary>
public static class WilsonInterval
{
    /// <summary>
    /// (p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n) with z = z₁₋₍₁₋c₎/₂; null without trials. Matches
    /// <c>statsmodels.stats.proportion.proportion_confint(x, n, alpha=1-c, method="wilson")</c>.
    /// </summary>
    /// <param name="count">Successes and trials.</param>
    /// <param name="confidence">Confidence level; 0.95 by default.</param>
    public static ConfidenceInterval? Of(BinomialCount count, double confidence = 0.95)
    {
        Guard.OpenUnit(confidence);
        if (count.Rate is not { } p)
        {
            return null;
        }

        return Of(p, count.Trials, confidence);
    }

    /// <summary>The interval of a rate that may count halves, e.g. ties split between winner and loser; n &gt; 0.</summary>
    internal static ConfidenceInterval Of(double p, double n, double confidence)
    {
        var z = Tails.NormalCritical(confidence);
        var z2 = z * z;
        var denominator = 1 + (z2 / n);
        var centre = (p + (z2 / (2 * n))) / denominator;
        var halfWidth = z * Math.Sqrt((p * (1 - p) / n) + (z2 / (4 * n * n))) / denominator;
        return ConfidenceInterval.Around(centre, halfWidth);
    }
}
