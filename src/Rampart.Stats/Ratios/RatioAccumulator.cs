namespace Rampart.Stats.Ratios;

/// <summary>
/// Mergeable per-group aggregate of units for a ratio metric R = ΣYᵢ/ΣNᵢ, where unit i contributes Yᵢ (the metric summed over its
/// requests) and Nᵢ (its number of requests). Holds the information of (n, ΣY, ΣN, ΣY², ΣN², ΣYN) in the numerically stable
/// form of means and co-moments (Welford's update, Chan et al.'s merge), so <see cref="Merge"/> is associative.
/// </summary>
public readonly record struct RatioAccumulator
{
    private readonly double meanValue;
    private readonly double meanCount;
    private readonly double valueSquares;
    private readonly double countSquares;
    private readonly double crossProducts;

    private RatioAccumulator(long units, double meanValue, double meanCount, double valueSquares, double countSquares, double crossProducts)
    {
        Guard.NoOverflow(meanValue, meanCount, valueSquares, countSquares, crossProducts);
        Units = units;
        this.meanValue = meanValue;
        this.meanCount = meanCount;
        this.valueSquares = valueSquares;
        this.countSquares = countSquares;
        this.crossProducts = crossProducts;
    }

    /// <summary>Number of units, n.</summary>
    public long Units { get; }

    /// <summary>ΣYᵢ, the metric summed over all units.</summary>
    public double SumOfValues => Units * meanValue;

    /// <summary>ΣNᵢ, the requests summed over all units.</summary>
    public double SumOfCounts => Units * meanCount;

    /// <summary>R = ΣYᵢ/ΣNᵢ; null when no unit has a request.</summary>
    public double? Ratio => meanCount > 0 ? meanValue / meanCount : null;

    /// <summary>Delta-method variance of <see cref="Ratio"/>; see <see cref="ToEstimate"/>.</summary>
    public double? RatioVariance => ToEstimate().Variance;

    /// <summary>An accumulator from raw sums, e.g. SQL aggregates over per-unit rows.</summary>
    /// <param name="units">n, the number of units.</param>
    /// <param name="sumOfValues">ΣYᵢ.</param>
    /// <param name="sumOfCounts">ΣNᵢ.</param>
    /// <param name="sumOfSquaredValues">ΣYᵢ².</param>
    /// <param name="sumOfSquaredCounts">ΣNᵢ².</param>
    /// <param name="sumOfProducts">ΣYᵢNᵢ.</param>
    public static RatioAccumulator FromSums(long units, double sumOfValues, double sumOfCounts, double sumOfSquaredValues, double sumOfSquaredCounts, double sumOfProducts)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(units);
        Guard.Finite(sumOfValues);
        Guard.FiniteNonNegative(sumOfCounts);
        Guard.FiniteNonNegative(sumOfSquaredValues);
        Guard.FiniteNonNegative(sumOfSquaredCounts);
        Guard.Finite(sumOfProducts);
        if (units == 0)
        {
            return default;
        }

        var meanValue = sumOfValues / units;
        var meanCount = sumOfCounts / units;
        return new RatioAccumulator(
            units,
            meanValue,
            meanCount,
            Math.Max(0, sumOfSquaredValues - (sumOfValues * meanValue)),
            Math.Max(0, sumOfSquaredCounts - (sumOfCounts * meanCount)),
            sumOfProducts - (sumOfValues * meanCount));
    }

    /// <summary>This aggregate with one more unit.</summary>
    /// <param name="value">Yᵢ, the unit's metric summed over its requests.</param>
    /// <param name="count">Nᵢ ≥ 0, the unit's number of requests.</param>
    public RatioAccumulator Add(double value, double count)
    {
        Guard.Finite(value);
        Guard.FiniteNonNegative(count);
        var units = Units + 1;
        var deltaValue = value - meanValue;
        var deltaCount = count - meanCount;
        var newMeanValue = meanValue + (deltaValue / units);
        var newMeanCount = meanCount + (deltaCount / units);
        return new RatioAccumulator(
            units,
            newMeanValue,
            newMeanCount,
            valueSquares + (deltaValue * (value - newMeanValue)),
            countSquares + (deltaCount * (count - newMeanCount)),
            crossProducts + (deltaValue * (count - newMeanCount)));
    }

    /// <summary>The aggregate of both groups of units.</summary>
    public RatioAccumulator Merge(RatioAccumulator other)
    {
        if (other.Units == 0)
        {
            return this;
        }

        if (Units == 0)
        {
            return other;
        }

        var units = Units + other.Units;
        var weight = (double)other.Units / units;
        var deltaValue = other.meanValue - meanValue;
        var deltaCount = other.meanCount - meanCount;
        var scale = Units * weight;
        return new RatioAccumulator(
            units,
            meanValue + (deltaValue * weight),
            meanCount + (deltaCount * weight),
            valueSquares + other.valueSquares + (deltaValue * deltaValue * scale),
            countSquares + other.countSquares + (deltaCount * deltaCount * scale),
            crossProducts + other.crossProducts + (deltaValue * deltaCount * scale));
    }

    /// <summary>
    /// R and its delta-method variance (Deng, Knoblich, Lu 2018):
    /// Var(R) ≈ (1/n)·(1/N̄²)·(s²_Y − 2R·s_YN + R²·s²_N), with sample (co)variances across units (ddof 1).
    /// </summary>
    public RatioEstimate ToEstimate()
    {
        if (!(meanCount > 0))
        {
            return new RatioEstimate(Units, null, null, Units == 0 ? "no units" : "no requests in any unit");
        }

        var ratio = meanValue / meanCount;
        if (Units < 2)
        {
            return new RatioEstimate(Units, ratio, null, "fewer than 2 units");
        }

        // s²_Y − 2R·s_YN + R²·s²_N is the sample variance of Yᵢ − R·Nᵢ: never negative except by rounding.
        var residualSquares = Math.Max(0, valueSquares - (2 * ratio * crossProducts) + (ratio * ratio * countSquares));
        var variance = residualSquares / (Units - 1) / (Units * meanCount * meanCount);
        return new RatioEstimate(Units, ratio, variance, null);
    }
}
