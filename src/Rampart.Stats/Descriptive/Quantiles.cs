namespace Rampart.Stats.Descriptive;

/// <summary>Exact quantiles of sorted data.</summary>
public static class Quantiles
{
    /// <summary>
    /// Quantile by linear interpolation between order statistics (Hyndman–Fan type 7, NumPy's default):
    /// h = (n − 1)·q, x₍⌊h⌋₎ + (h − ⌊h⌋)·(x₍⌊h⌋+1₎ − x₍⌊h⌋₎); null when <paramref name="sorted"/> is empty.
    /// </summary>
    /// <param name="sorted">Finite values in ascending order.</param>
    /// <param name="q">Probability in [0, 1].</param>
    public static double? Type7(ReadOnlySpan<double> sorted, double q)
    {
        Guard.Probability(q);
        for (var i = 1; i < sorted.Length; i++)
        {
            if (!(sorted[i - 1] <= sorted[i]))
            {
                throw new ArgumentException($"Values must be finite and sorted ascending; index {i} breaks the order.", nameof(sorted));
            }
        }

        if (sorted.IsEmpty)
        {
            return null;
        }

        var h = (sorted.Length - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((h - lo) * (sorted[hi] - sorted[lo]));
    }
}
