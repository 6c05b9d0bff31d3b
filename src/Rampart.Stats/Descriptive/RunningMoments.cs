namespace Rampart.Stats.Descriptive;

/// <summary>
/// Streaming count, mean and sum of squared deviations (Welford's update, Chan et al.'s merge): numerically
/// stable where raw sums of squares cancel, and <see cref="Merge"/> is associative so partial aggregates combine in any grouping.
/// </summary>
public readonly record struct RunningMoments
{
    private readonly double mean;

    private RunningMoments(long count, double mean, double sumOfSquaredDeviations)
    {
        Guard.NoOverflow(mean, sumOfSquaredDeviations);
        Count = count;
        this.mean = mean;
        SumOfSquaredDeviations = sumOfSquaredDeviations;
    }

    /// <summary>Number of observations.</summary>
    public long Count { get; }

    /// <summary>Σ(xᵢ − x̄)², the numerically stable stand-in for Σx².</summary>
    public double SumOfSquaredDeviations { get; }

    /// <summary>Sum of the observations.</summary>
    public double Sum => Count * mean;

    /// <summary>Arithmetic mean; null when empty.</summary>
    public double? Mean => Count > 0 ? mean : null;

    /// <summary>Sample variance (ddof 1); null with fewer than 2 observations.</summary>
    public double? Variance => Count > 1 ? SumOfSquaredDeviations / (Count - 1) : null;

    /// <summary>Moments of a span of finite values.</summary>
    public static RunningMoments From(ReadOnlySpan<double> values)
    {
        var moments = default(RunningMoments);
        foreach (var x in values)
        {
            moments = moments.Add(x);
        }

        return moments;
    }

    /// <summary>Writes the moments' state (count, mean, sum of squared deviations), bit for bit, for <see cref="ReadFrom"/>.</summary>
    public void WriteTo(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Count);
        writer.Write(mean);
        writer.Write(SumOfSquaredDeviations);
    }

    /// <summary>Reads moments <see cref="WriteTo"/> wrote; throws <see cref="InvalidDataException"/> when they are not moments of finite values.</summary>
    public static RunningMoments ReadFrom(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var (count, mean, squares) = (reader.ReadInt64(), reader.ReadDouble(), reader.ReadDouble());
        if (count < 0 || !double.IsFinite(mean) || !double.IsFinite(squares) || squares < 0)
        {
            throw new InvalidDataException("Stored moments are not moments of finite values.");
        }

        return new RunningMoments(count, mean, squares);
    }

    /// <summary>These moments with one more finite observation; throws <see cref="OverflowException"/> beyond double range.</summary>
    public RunningMoments Add(double value)
    {
        Guard.Finite(value);
        var count = Count + 1;
        var delta = value - mean;
        var newMean = mean + (delta / count);
        return new RunningMoments(count, newMean, SumOfSquaredDeviations + (delta * (value - newMean)));
    }

    /// <summary>Moments of the union of both sets of observations.</summary>
    public RunningMoments Merge(RunningMoments other)
    {
        if (other.Count == 0)
        {
            return this;
        }

        if (Count == 0)
        {
            return other;
        }

        var count = Count + other.Count;
        var delta = other.mean - mean;
        var weight = (double)other.Count / count;
        return new RunningMoments(
            count,
            mean + (delta * weight),
            SumOfSquaredDeviations + other.SumOfSquaredDeviations + (delta * delta * Count * weight));
    }

    /// <summary>The summary these moments describe, with the reason for any missing value.</summary>
    public SampleSummary ToSummary() => Count switch
    {
        0 => new SampleSummary(0, null, null, "no observations"),
        1 => new SampleSummary(1, mean, null, "fewer than 2 observations"),
        _ => new SampleSummary(Count, mean, Variance),
    };
}
