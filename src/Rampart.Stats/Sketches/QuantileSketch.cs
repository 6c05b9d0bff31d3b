namespace Rampart.Stats.Sketches;

/// <summary>
/// Relative-error quantile sketch in the style of DDSketch (Masson, Rim, Lee 2019) for non-negative values such as latencies:
/// every quantile is within <see cref="RelativeAccuracy"/> of the exact type-7 quantile, and sketches merge by adding counts.
/// </summary>
/// <remarks>
/// A positive value x falls in bucket i = ⌈log_γ x⌉ with γ = (1+ε)/(1−ε), i.e. x ∈ (γ^(i−1), γ^i], represented by
/// 2γ^i/(γ+1), which is within ε of every value in the bucket; zeros are counted apart. Buckets live in one growable array
/// spanning the lowest to highest index seen, so memory grows with log(max/min)/ln γ: about 580 buckets (4.6 KB) at ε = 1%
/// to cover 1 ms to 100 s, and never more than ~73,000 for the whole range of doubles.
/// </remarks>
public sealed class QuantileSketch
{
    private readonly double logGamma;
    private readonly int lowestIndex;
    private readonly int highestIndex;
    private long[] counts = [];
    private int firstIndex;
    private double min = double.PositiveInfinity;
    private double max = double.NegativeInfinity;

    /// <summary>Creates an empty sketch.</summary>
    /// <param name="relativeAccuracy">ε in [0.0001, 1): the largest relative error of any quantile; 0.01 by default.</param>
    public QuantileSketch(double relativeAccuracy = 0.01)
    {
        // Finer than 0.01% would need millions of buckets to span the range of doubles.
        if (!(relativeAccuracy is >= 1e-4 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(relativeAccuracy), relativeAccuracy, "'relativeAccuracy' must lie in [0.0001, 1), e.g. 0.01.");
        }

        RelativeAccuracy = relativeAccuracy;
        Gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
        logGamma = Math.Log(Gamma);
        lowestIndex = IndexOf(double.Epsilon);
        highestIndex = IndexOf(double.MaxValue);
    }

    /// <summary>ε, the guaranteed relative accuracy.</summary>
    public double RelativeAccuracy { get; }

    /// <summary>γ = (1+ε)/(1−ε), the ratio between consecutive bucket bounds.</summary>
    public double Gamma { get; }

    /// <summary>Number of values added.</summary>
    public long Count { get; private set; }

    /// <summary>Number of zeros added.</summary>
    public long ZeroCount { get; private set; }

    /// <summary>Number of buckets currently allocated (the memory footprint, in counters).</summary>
    public int BucketCapacity => counts.Length;

    /// <summary>Adds one non-negative finite value.</summary>
    public void Add(double value)
    {
        Guard.FiniteNonNegative(value);
        if (value == 0)
        {
            ZeroCount++;
        }
        else
        {
            var index = IndexOf(value);
            EnsureCovers(index, index);
            counts[index - firstIndex]++;
        }

        Count++;
        min = Math.Min(min, value);
        max = Math.Max(max, value);
    }

    /// <summary>Adds every value of <paramref name="other"/> to this sketch; both must have the same relative accuracy.</summary>
    public void Merge(QuantileSketch other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.RelativeAccuracy != RelativeAccuracy)
        {
            throw new ArgumentException($"Cannot merge a sketch with relative accuracy {other.RelativeAccuracy} into one with {RelativeAccuracy}; use the same accuracy.", nameof(other));
        }

        if (other.Count == 0)
        {
            return;
        }

        if (other.counts.Length > 0)
        {
            EnsureCovers(other.firstIndex, other.firstIndex + other.counts.Length - 1);
            var offset = other.firstIndex - firstIndex;
            for (var i = 0; i < other.counts.Length; i++)
            {
                counts[offset + i] += other.counts[i];
            }
        }

        ZeroCount += other.ZeroCount;
        Count += other.Count;
        min = Math.Min(min, other.min);
        max = Math.Max(max, other.max);
    }

    /// <summary>
    /// How many values are above <paramref name="threshold"/>, within the sketch's relative accuracy: a bucket counts when its
    /// representative value is above the threshold (exact for values outside the threshold's own bucket).
    /// </summary>
    /// <param name="threshold">The threshold, finite and non-negative.</param>
    public long CountAbove(double threshold)
    {
        Guard.FiniteNonNegative(threshold);
        if (Count == 0 || max <= threshold)
        {
            return 0;
        }

        // Bucket i's representative 2γⁱ/(γ+1) is above the threshold exactly when i > log_γ(threshold·(γ+1)/2).
        var first = threshold == 0 ? 0 : (long)Math.Floor(Math.Log(threshold * (Gamma + 1) / 2) / logGamma) + 1 - firstIndex;
        long above = 0;
        for (var i = (int)Math.Clamp(first, 0, counts.Length); i < counts.Length; i++)
        {
            above += counts[i];
        }

        return above;
    }

    /// <summary>
    /// The q-quantile, interpolated between the estimates of ranks ⌊h⌋ and ⌊h⌋+1 with h = (n − 1)·q as in type 7,
    /// each clamped to the exact minimum and maximum; null when the sketch is empty.
    /// </summary>
    /// <param name="q">Probability in [0, 1].</param>
    public double? Quantile(double q)
    {
        Guard.Probability(q);
        if (Count == 0)
        {
            return null;
        }

        var h = (Count - 1) * q;
        var lower = (long)Math.Floor(h);
        var upper = Math.Min(lower + 1, Count - 1);
        var lowerValue = ValueAtRank(lower);
        return lowerValue + ((h - lower) * (ValueAtRank(upper) - lowerValue));
    }

    private double ValueAtRank(long rank)
    {
        var seen = ZeroCount;
        if (rank < seen)
        {
            return 0;
        }

        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (rank < seen)
            {
                var representative = 2 * Math.Pow(Gamma, firstIndex + i) / (Gamma + 1);
                return Math.Clamp(representative, min, max);
            }
        }

        return max;
    }

    /// <summary>Writes the sketch's whole state (accuracy, buckets, counts, extremes), for <see cref="ReadFrom"/>.</summary>
    public void WriteTo(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(RelativeAccuracy);
        writer.Write(Count);
        writer.Write(ZeroCount);
        writer.Write(min);
        writer.Write(max);
        writer.Write(firstIndex);
        writer.Write(counts.Length);
        foreach (var count in counts)
        {
            writer.Write(count);
        }
    }

    /// <summary>Reads a sketch <see cref="WriteTo"/> wrote; throws <see cref="InvalidDataException"/> when the state is not one a sketch can have.</summary>
    public static QuantileSketch ReadFrom(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var accuracy = reader.ReadDouble();
        if (!(accuracy is >= 1e-4 and < 1))
        {
            throw new InvalidDataException($"A sketch's relative accuracy of {accuracy} is out of range.");
        }

        var sketch = new QuantileSketch(accuracy) { Count = reader.ReadInt64(), ZeroCount = reader.ReadInt64() };
        sketch.min = reader.ReadDouble();
        sketch.max = reader.ReadDouble();
        sketch.firstIndex = reader.ReadInt32();
        var length = reader.ReadInt32();
        if (length < 0 || (length > 0 && (sketch.firstIndex < sketch.lowestIndex || sketch.firstIndex + (long)length - 1 > sketch.highestIndex)))
        {
            throw new InvalidDataException($"A sketch's {length} buckets from index {sketch.firstIndex} are out of range.");
        }

        sketch.counts = new long[length];
        long total = sketch.ZeroCount;
        for (var i = 0; i < length; i++)
        {
            sketch.counts[i] = reader.ReadInt64();
            total += sketch.counts[i] >= 0 ? sketch.counts[i] : throw new InvalidDataException("A sketch's bucket count is negative.");
        }

        if (total != sketch.Count || sketch.ZeroCount < 0)
        {
            throw new InvalidDataException($"A sketch's buckets hold {total} values, not its count of {sketch.Count}.");
        }

        return sketch;
    }

    private int IndexOf(double value) => (int)Math.Ceiling(Math.Log(value) / logGamma);

    private void EnsureCovers(int lowIndex, int highIndex)
    {
        if (counts.Length == 0)
        {
            counts = new long[highIndex - lowIndex + 1];
            firstIndex = lowIndex;
            return;
        }

        var lastIndex = firstIndex + counts.Length - 1;
        if (lowIndex >= firstIndex && highIndex <= lastIndex)
        {
            return;
        }

        // Grow with slack on the side that overflowed, so a drifting range costs amortised O(1) copies.
        var slack = counts.Length;
        var newFirst = lowIndex < firstIndex ? Math.Max(lowestIndex, Math.Min(lowIndex, firstIndex - slack)) : firstIndex;
        var newLast = highIndex > lastIndex ? Math.Min(highestIndex, Math.Max(highIndex, lastIndex + slack)) : lastIndex;
        var grown = new long[newLast - newFirst + 1];
        Array.Copy(counts, 0, grown, firstIndex - newFirst, counts.Length);
        counts = grown;
        firstIndex = newFirst;
    }
}
