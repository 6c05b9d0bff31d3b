using System.Globalization;

namespace Rampart.Core.Allocation;

/// <summary>A share of traffic in percent with at most two decimals, held exactly as a number of buckets (1% = 100 buckets).</summary>
public readonly record struct Weight : IComparable<Weight>
{
    /// <summary>The number of buckets in the whole allocation space: 100% of traffic.</summary>
    public const int TotalBuckets = 10_000;

    /// <summary>Creates a weight of <paramref name="buckets"/> buckets out of <see cref="TotalBuckets"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">when <paramref name="buckets"/> is negative or above <see cref="TotalBuckets"/>.</exception>
    public Weight(int buckets)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(buckets);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(buckets, TotalBuckets);
        Buckets = buckets;
    }

    /// <summary>Zero traffic.</summary>
    public static Weight Zero => default;

    /// <summary>All traffic.</summary>
    public static Weight All => new(TotalBuckets);

    /// <summary>The weight in buckets (percent × 100).</summary>
    public int Buckets { get; }

    /// <summary>The weight in percent.</summary>
    public decimal Percent => Buckets / 100m;

    /// <summary>Reads a percentage; fails when it is negative, above 100 or has more than two decimals.</summary>
    public static bool TryFromPercent(decimal percent, out Weight weight)
    {
        weight = default;
        // The range first: a percentage above decimal.MaxValue / 100 (1e27) would overflow the multiplication.
        if (percent < 0m || percent > 100m)
        {
            return false;
        }

        var buckets = percent * 100m;
        if (buckets != decimal.Truncate(buckets))
        {
            return false;
        }

        weight = new Weight((int)buckets);
        return true;
    }

    /// <summary>Reads a percentage.</summary>
    /// <exception cref="ArgumentOutOfRangeException">when <paramref name="percent"/> is negative, above 100 or has more than two decimals.</exception>
    public static Weight FromPercent(decimal percent) =>
        TryFromPercent(percent, out var weight)
            ? weight
            : throw new ArgumentOutOfRangeException(nameof(percent), percent, "A weight is a percentage from 0 to 100 with at most two decimals.");

    /// <inheritdoc />
    public int CompareTo(Weight other) => Buckets.CompareTo(other.Buckets);

    /// <summary>Adds two weights.</summary>
    /// <exception cref="ArgumentOutOfRangeException">when the sum is above 100%.</exception>
    public static Weight operator +(Weight left, Weight right) => new(left.Buckets + right.Buckets);

    /// <summary>Compares two weights.</summary>
    public static bool operator <(Weight left, Weight right) => left.Buckets < right.Buckets;

    /// <summary>Compares two weights.</summary>
    public static bool operator >(Weight left, Weight right) => left.Buckets > right.Buckets;

    /// <summary>Compares two weights.</summary>
    public static bool operator <=(Weight left, Weight right) => left.Buckets <= right.Buckets;

    /// <summary>Compares two weights.</summary>
    public static bool operator >=(Weight left, Weight right) => left.Buckets >= right.Buckets;

    /// <summary>The percentage in invariant culture, without trailing zeros (e.g. <c>12.5</c>).</summary>
    public override string ToString() => Percent.ToString("0.##", CultureInfo.InvariantCulture);
}
