using MathNet.Numerics;
using Rampart.Stats.Hypothesis;

namespace Rampart.Stats.Paired;

/// <summary>
/// McNemar's test for paired failures (error / no error) of the control and the shadow on the same requests. The 2×2 table
/// is a = both ok, b = control ok and shadow failed, c = control failed and shadow ok, d = both failed.
/// </summary>
public static class McNemarTest
{
    /// <summary>
    /// The p-value is always exact: under H₀ each discordant pair is equally likely to go either way, so b ~ Binomial(b + c, ½)
    /// (matches <c>scipy.stats.binomtest(b, b+c, 0.5).pvalue</c> and statsmodels' <c>mcnemar(table, exact=True)</c>). The
    /// binomial tail is a regularised incomplete beta function, as cheap at b + c in the millions as at 10, so no switch to the
    /// χ² approximation is needed; the continuity-corrected χ² (<c>mcnemar(table, exact=False, correction=True)</c>) is reported
    /// beside it. Difference = (b − c)/n with the Wald interval (b − c)/n ± z·√(((b + c)/n − (b − c)²/n²)/n)
    /// (Agresti, <i>Categorical Data Analysis</i>, 3rd ed., §11.1). Without the concordant counts, n = b + c and the difference
    /// is among discordant pairs.
    /// </summary>
    /// <param name="shadowOnlyFailed">b: pairs where the control succeeded and the shadow failed.</param>
    /// <param name="controlOnlyFailed">c: pairs where the control failed and the shadow succeeded.</param>
    /// <param name="bothFailed">d: pairs where both failed; only changes n.</param>
    /// <param name="bothOk">a: pairs where both succeeded; only changes n.</param>
    /// <param name="confidence">Confidence level of the interval; 0.95 by default.</param>
    public static McNemarResult Compare(long shadowOnlyFailed, long controlOnlyFailed, long bothFailed = 0, long bothOk = 0, double confidence = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shadowOnlyFailed);
        ArgumentOutOfRangeException.ThrowIfNegative(controlOnlyFailed);
        ArgumentOutOfRangeException.ThrowIfNegative(bothFailed);
        ArgumentOutOfRangeException.ThrowIfNegative(bothOk);
        Guard.OpenUnit(confidence);

        long b = shadowOnlyFailed, c = controlOnlyFailed;
        var discordant = checked(b + c);
        var pairs = checked(discordant + bothFailed + bothOk);
        if (pairs == 0)
        {
            return new McNemarResult(0, 0, null, null, null, null, null, null, "no pairs");
        }

        double n = pairs;
        var difference = (b - c) / n;
        if (discordant == 0)
        {
            return new McNemarResult(pairs, 0, difference, null, null, null, null, null, "no discordant pairs: the variants failed on the same requests");
        }

        var chiSquare = Math.Pow(Math.Abs(b - c) - 1.0, 2) / discordant;
        var chiSquarePValue = SpecialFunctions.GammaUpperRegularized(0.5, chiSquare / 2);
        var pValue = Tails.TwoSidedBinomialHalf(b, discordant);
        var pValueShadowWorse = Tails.UpperBinomialHalf(b, discordant);

        var variance = ((discordant / n) - (difference * difference)) / n;
        if (!(variance > 0))
        {
            return new McNemarResult(pairs, discordant, difference, null, pValue, pValueShadowWorse, chiSquare, chiSquarePValue,
                "every pair is discordant the same way, so the Wald interval has zero width");
        }

        var halfWidth = Tails.NormalCritical(confidence) * Math.Sqrt(variance);
        var interval = new ConfidenceInterval(Math.Max(-1, difference - halfWidth), Math.Min(1, difference + halfWidth));
        return new McNemarResult(pairs, discordant, difference, interval, pValue, pValueShadowWorse, chiSquare, chiSquarePValue, null);
    }
}
