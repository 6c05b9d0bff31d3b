using System.Globalization;
using System.Text.RegularExpressions;

namespace Rampart.Dashboard.Tests;

/// <summary>Reads numbers back out of the page's text, to compare them with the API's within the rounding shown.</summary>
internal static partial class PageText
{
    /// <summary>Every number in <paramref name="text"/>, in order (thousands separators removed).</summary>
    public static double[] Numbers(string text) =>
        [.. NumberPattern().Matches(text.Replace(",", "", StringComparison.Ordinal)).Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture))];

    /// <summary>Asserts <paramref name="shown"/> is <paramref name="expected"/> rounded to <paramref name="decimals"/> places.</summary>
    public static void Rounded(double expected, double shown, int decimals, string what)
    {
        var tolerance = (0.5 * Math.Pow(10, -decimals)) + 1e-12;
        Assert.True(Math.Abs(expected - shown) <= tolerance, $"{what}: the page shows {shown}, the API says {expected}.");
    }

    [GeneratedRegex(@"-?\d+(\.\d+)?")]
    private static partial Regex NumberPattern();
}
