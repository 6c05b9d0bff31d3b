using System.Globalization;

namespace Rampart.Analysis.Decisions;

/// <summary>Numbers as the reasons print them: invariant culture, a sensible number of digits.</summary>
internal static class Numbers
{
    public static string P(double? p) => p switch
    {
        null => "null",
        < 0.0001 => "< 0.0001",
        { } v => v.ToString("0.0000", CultureInfo.InvariantCulture),
    };

    public static string Percent(double? rate) => rate is { } r ? (r * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%" : "null";

    public static string SignedPercent(double? rate) => rate is { } r ? (r >= 0 ? "+" : "") + Percent(r) : "n/a";

    public static string Value(double? value) => value is { } v ? v.ToString("0.####", CultureInfo.InvariantCulture) : "null";

    public static string Ms(double? value) => value is { } v ? v.ToString("0.#", CultureInfo.InvariantCulture) + " ms" : "null";

    public static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    public static string Plain(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
