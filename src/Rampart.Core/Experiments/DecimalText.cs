using System.Globalization;

namespace Rampart.Core.Experiments;

/// <summary>
/// Whether a number read as a <see cref="decimal"/> kept the value its text wrote. Parsing rounds without a word: past 28
/// significant digits (<c>50.0000000000000000000000000001</c> reads as 50) and below 1e-28 (<c>1e-300</c> reads as 0), so a
/// weight with more than two decimals passed as one with none.
/// </summary>
internal static class DecimalText
{
    /// <summary>True when <paramref name="parsed"/> is exactly the number <paramref name="text"/> writes (JSON's or decimal's syntax).</summary>
    public static bool IsExact(string text, decimal parsed) =>
        Normalize(text) is { } written && Normalize(parsed.ToString(CultureInfo.InvariantCulture)) == written;

    // The number as its significant digits (no leading or trailing zeros), the power of ten of the last one, and its sign:
    // "-012.50e1" is ("-", "125", 0), every zero ("", "", 0). Null when it is not a number's text.
    private static (string Sign, string Digits, long Exponent)? Normalize(string text)
    {
        var negative = text.StartsWith('-');
        var rest = text.AsSpan(text.Length > 0 && text[0] is '-' or '+' ? 1 : 0);
        long exponent = 0;
        var e = rest.IndexOfAny('e', 'E');
        if (e >= 0)
        {
            if (!long.TryParse(rest[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent))
            {
                return null;
            }

            rest = rest[..e];
        }

        var point = rest.IndexOf('.');
        var digits = point < 0 ? rest.ToString() : string.Concat(rest[..point], rest[(point + 1)..]);
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
        {
            return null;
        }

        exponent -= point < 0 ? 0 : rest.Length - point - 1;
        var significant = digits.TrimStart('0');
        var trimmed = significant.TrimEnd('0');
        return trimmed.Length == 0
            ? ("", "", 0)
            : (negative ? "-" : "", trimmed, exponent + (significant.Length - trimmed.Length));
    }
}
