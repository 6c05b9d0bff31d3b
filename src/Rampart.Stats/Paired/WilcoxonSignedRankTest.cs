namespace Rampart.Stats.Paired;

/// <summary>Wilcoxon's signed-rank test on paired differences shadowᵢ − controlᵢ: a median shift without assuming normality.</summary>
public static class WilcoxonSignedRankTest
{
    /// <summary>At most this many pairs, with no zero and no tied differences, get the exact p-value (SciPy's <c>method="auto"</c> rule).</summary>
    public const int ExactMaxPairs = 50;

    /// <summary>
    /// Ranks |dᵢ| of the non-zero differences (average ranks for ties; zeros dropped, SciPy's <c>zero_method="wilcox"</c>),
    /// W⁺ = sum of ranks of positive differences. Two-sided p-value, matching <c>scipy.stats.wilcoxon(shadow, control)</c>: exact from
    /// the null distribution of W⁺ when there are at most <see cref="ExactMaxPairs"/> pairs and no zero or tied differences;
    /// otherwise the normal approximation z = (W⁺ − m(m+1)/4)/√(m(m+1)(2m+1)/24 − Σ(t³ − t)/48) over the m non-zero
    /// differences and the tie groups of size t, without continuity correction (<c>method="approx"</c>).
    /// </summary>
    /// <param name="control">Finite values of the control, one per request.</param>
    /// <param name="shadow">Finite values of the shadow for the same requests, in the same order.</param>
    public static WilcoxonSignedRankResult Compare(ReadOnlySpan<double> control, ReadOnlySpan<double> shadow)
    {
        var differences = PairedSamples.Differences(control, shadow);
        var nonZero = differences.Where(d => d != 0).ToArray();
        long m = nonZero.Length;
        if (m == 0)
        {
            var reason = differences.Length == 0 ? "no pairs" : "every difference is zero";
            return new WilcoxonSignedRankResult(differences.Length, 0, null, null, null, false, reason);
        }

        Array.Sort(nonZero, (x, y) => Math.Abs(x).CompareTo(Math.Abs(y)));
        double positiveRanks = 0, tieTerm = 0;
        for (var start = 0; start < nonZero.Length;)
        {
            var end = start;
            while (end + 1 < nonZero.Length && Math.Abs(nonZero[end + 1]) == Math.Abs(nonZero[start]))
            {
                end++;
            }

            var rank = (start + end + 2) / 2.0;
            double size = end - start + 1;
            tieTerm += (size * size * size) - size;
            for (var i = start; i <= end; i++)
            {
                positiveRanks += nonZero[i] > 0 ? rank : 0;
            }

            start = end + 1;
        }

        var totalRanks = m * (m + 1) / 2.0;
        var statistic = Math.Min(positiveRanks, totalRanks - positiveRanks);
        var variance = (m * (m + 1) * ((2 * m) + 1) / 24.0) - (tieTerm / 48);
        var z = (positiveRanks - (totalRanks / 2)) / Math.Sqrt(variance);

        var exact = differences.Length <= ExactMaxPairs && m == differences.Length && tieTerm == 0;
        var pValue = exact ? ExactTwoSided((int)m, (int)positiveRanks) : Tails.TwoSidedNormal(z);
        return new WilcoxonSignedRankResult(differences.Length, m, statistic, z, pValue, exact, null);
    }

    // Counts of subsets of {1, …, n} by their sum, the null distribution of W⁺ times 2ⁿ; exact in doubles up to n = 52.
    private static double ExactTwoSided(int n, int positiveRanks)
    {
        var maximum = n * (n + 1) / 2;
        var counts = new double[maximum + 1];
        counts[0] = 1;
        for (var k = 1; k <= n; k++)
        {
            for (var s = Math.Min(maximum, k * (k + 1) / 2); s >= k; s--)
            {
                counts[s] += counts[s - k];
            }
        }

        if (2 * positiveRanks == maximum)
        {
            return 1.0;
        }

        double below = 0, above = 0;
        for (var s = 0; s <= maximum; s++)
        {
            below += s <= positiveRanks ? counts[s] : 0;
            above += s >= positiveRanks ? counts[s] : 0;
        }

        return Math.Min(1.0, 2 * Math.Min(below, above) / Math.Pow(2, n));
    }
}
