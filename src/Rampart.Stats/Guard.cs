using System.Runtime.CompilerServices;

namespace Rampart.Stats;

/// <summary>Argument checks shared by the statistics: bad input is a caller's mistake and throws at once.</summary>
internal static class Guard
{
    public static void Finite(double value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"'{name}' must be a finite number.");
        }
    }

    public static void FiniteNonNegative(double value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"'{name}' must be a finite number ≥ 0.");
        }
    }

    /// <summary>Throws when an accumulated value left double range: a loud failure instead of an infinity in a result.</summary>
    public static void NoOverflow(params ReadOnlySpan<double> values)
    {
        foreach (var value in values)
        {
            if (!double.IsFinite(value))
            {
                throw new OverflowException("The values are too large to accumulate in double precision; rescale them (e.g. seconds instead of nanoseconds).");
            }
        }
    }

    public static void Positive(double value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"'{name}' must be a finite number > 0.");
        }
    }

    public static void Probability(double value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!(value is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"'{name}' must lie in [0, 1].");
        }
    }

    public static void OpenUnit(double value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!(value is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"'{name}' must lie strictly between 0 and 1, e.g. 0.95.");
        }
    }
}
