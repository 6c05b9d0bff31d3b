namespace Rampart.Stats.Paired;

/// <summary>Checks paired samples (value i of the control and of the shadow answered the same request) and forms per-pair values.</summary>
internal static class PairedSamples
{
    /// <summary>shadowᵢ − controlᵢ for finite values of equal count.</summary>
    public static double[] Differences(ReadOnlySpan<double> control, ReadOnlySpan<double> shadow)
    {
        SameLength(control, shadow);
        var differences = new double[control.Length];
        for (var i = 0; i < differences.Length; i++)
        {
            Guard.Finite(control[i], nameof(control));
            Guard.Finite(shadow[i], nameof(shadow));
            differences[i] = shadow[i] - control[i];
        }

        Guard.NoOverflow(differences);
        return differences;
    }

    /// <summary>ln(shadowᵢ/controlᵢ) for finite positive values of equal count.</summary>
    public static double[] LogRatios(ReadOnlySpan<double> control, ReadOnlySpan<double> shadow)
    {
        SameLength(control, shadow);
        var logRatios = new double[control.Length];
        for (var i = 0; i < logRatios.Length; i++)
        {
            Guard.Positive(control[i], nameof(control));
            Guard.Positive(shadow[i], nameof(shadow));
            // The log of the quotient, not a difference of logs: pairs with the same ratio then give the same value to the
            // last bit, so "the shadow is 10% slower on every request" has zero variance instead of a rounding-noise t of 10¹⁴.
            var ratio = shadow[i] / control[i];
            logRatios[i] = ratio is > 0 and < double.PositiveInfinity ? Math.Log(ratio) : Math.Log(shadow[i]) - Math.Log(control[i]);
        }

        return logRatios;
    }

    /// <summary>shadowᵢ / controlᵢ for finite positive values of equal count.</summary>
    public static double[] Ratios(ReadOnlySpan<double> control, ReadOnlySpan<double> shadow)
    {
        SameLength(control, shadow);
        var ratios = new double[control.Length];
        for (var i = 0; i < ratios.Length; i++)
        {
            Guard.Positive(control[i], nameof(control));
            Guard.Positive(shadow[i], nameof(shadow));
            ratios[i] = shadow[i] / control[i];
        }

        Guard.NoOverflow(ratios);
        return ratios;
    }

    private static void SameLength(ReadOnlySpan<double> control, ReadOnlySpan<double> shadow)
    {
        if (control.Length != shadow.Length)
        {
            throw new ArgumentException(
                $"'control' has {control.Length} values but 'shadow' has {shadow.Length}; give the two answers of each request at the same index.",
                nameof(shadow));
        }
    }
}
