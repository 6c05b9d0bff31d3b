using MathNet.Numerics;

namespace Rampart.Stats.Hypothesis;

/// <summary>Pearson chi-square tests: goodness of fit (sample-ratio mismatch) and independence on an r×c table.</summary>
public static class ChiSquareTest
{
    /// <summary>
    /// Goodness of fit of <paramref name="observed"/> counts to <paramref name="expectedWeights"/>, normalised so eᵢ = wᵢ/Σw · Σo;
    /// χ² = Σ (oᵢ − eᵢ)²/eᵢ, df = k − 1 (matches <c>scipy.stats.chisquare(o, e)</c>).
    /// A category with zero weight and zero count is left out; one with zero weight but observations makes the statistic null.
    /// </summary>
    /// <param name="observed">Non-negative counts per category.</param>
    /// <param name="expectedWeights">Non-negative weights per category, same length, not all zero.</param>
    public static ChiSquareResult GoodnessOfFit(ReadOnlySpan<long> observed, ReadOnlySpan<double> expectedWeights)
    {
        if (observed.Length != expectedWeights.Length)
        {
            throw new ArgumentException($"'observed' has {observed.Length} categories but 'expectedWeights' has {expectedWeights.Length}; give one weight per category.", nameof(expectedWeights));
        }

        double total = 0, weightTotal = 0;
        for (var i = 0; i < observed.Length; i++)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(observed[i], nameof(observed));
            Guard.FiniteNonNegative(expectedWeights[i], nameof(expectedWeights));
            total += observed[i];
            weightTotal += expectedWeights[i];
        }

        if (!(weightTotal > 0))
        {
            throw new ArgumentException("'expectedWeights' must not all be zero.", nameof(expectedWeights));
        }

        if (total == 0)
        {
            return new ChiSquareResult(null, null, null, "no observations");
        }

        var statistic = 0.0;
        var categories = 0;
        for (var i = 0; i < observed.Length; i++)
        {
            var expected = expectedWeights[i] / weightTotal * total;
            if (expected == 0)
            {
                if (observed[i] > 0)
                {
                    return new ChiSquareResult(null, null, null, $"category {i} has observations but zero expected weight");
                }

                continue;
            }

            categories++;
            statistic += (observed[i] - expected) * (observed[i] - expected) / expected;
        }

        return categories < 2
            ? new ChiSquareResult(null, null, null, "fewer than 2 categories with expected counts")
            : Result(statistic, categories - 1);
    }

    /// <summary>
    /// Test of independence of rows and columns: eᵢⱼ = rowᵢ·colⱼ/total, χ² = Σ (oᵢⱼ − eᵢⱼ)²/eᵢⱼ, df = (r − 1)(c − 1),
    /// without Yates' correction (matches <c>scipy.stats.chi2_contingency(t, correction=False)</c>).
    /// </summary>
    /// <param name="table">Non-negative counts, at least 2×2, given as rows of equal length.</param>
    public static ChiSquareResult Independence(IReadOnlyList<IReadOnlyList<long>> table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var rows = table.Count;
        var columns = rows > 0 ? table[0].Count : 0;
        if (rows < 2 || columns < 2)
        {
            throw new ArgumentException($"The table is {rows}×{columns}; it needs at least 2 rows and 2 columns.", nameof(table));
        }

        var rowSums = new double[rows];
        var columnSums = new double[columns];
        for (var i = 0; i < rows; i++)
        {
            if (table[i].Count != columns)
            {
                throw new ArgumentException($"Row {i} has {table[i].Count} cells but row 0 has {columns}; rows must have equal length.", nameof(table));
            }

            for (var j = 0; j < columns; j++)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(table[i][j], nameof(table));
                rowSums[i] += table[i][j];
                columnSums[j] += table[i][j];
            }
        }

        if (Array.IndexOf(rowSums, 0.0) >= 0 || Array.IndexOf(columnSums, 0.0) >= 0)
        {
            return new ChiSquareResult(null, null, null, "a row or column of the table sums to zero");
        }

        var total = rowSums.Sum();
        var statistic = 0.0;
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                var expected = rowSums[i] * columnSums[j] / total;
                statistic += (table[i][j] - expected) * (table[i][j] - expected) / expected;
            }
        }

        return Result(statistic, (rows - 1) * (columns - 1));
    }

    // The upper regularised gamma keeps precision for tiny p-values, where 1 − CDF would cancel to 0.
    private static ChiSquareResult Result(double statistic, int degreesOfFreedom) =>
        new(statistic, degreesOfFreedom, SpecialFunctions.GammaUpperRegularized(degreesOfFreedom / 2.0, statistic / 2), null);
}
