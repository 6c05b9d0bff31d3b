namespace Rampart.Stats.Descriptive;

/// <summary>Mean and sample variance of a span of finite numbers.</summary>
public static class SampleStatistics
{
    /// <summary>Arithmetic mean; null when <paramref name="values"/> is empty.</summary>
    public static double? Mean(ReadOnlySpan<double> values) => Summarize(values).Mean;

    /// <summary>Sample variance (ddof 1, like <c>numpy.var(x, ddof=1)</c>); null with fewer than 2 values.</summary>
    public static double? Variance(ReadOnlySpan<double> values) => Summarize(values).Variance;

    /// <summary>Count, mean and sample variance in two passes (the most accurate form for data held in memory); throws <see cref="OverflowException"/> beyond double range.</summary>
    public static SampleSummary Summarize(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            return new SampleSummary(0, null, null, "no observations");
        }

        var sum = 0.0;
        foreach (var x in values)
        {
            Guard.Finite(x, nameof(values));
            sum += x;
        }

        var mean = sum / values.Length;
        Guard.NoOverflow(mean);
        if (values.Length < 2)
        {
            return new SampleSummary(1, mean, null, "fewer than 2 observations");
        }

        var squares = 0.0;
        foreach (var x in values)
        {
            squares += (x - mean) * (x - mean);
        }

        Guard.NoOverflow(squares);
        return new SampleSummary(values.Length, mean, squares / (values.Length - 1));
    }
}
