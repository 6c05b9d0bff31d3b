using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Rampart.Core.Experiments;

/// <summary>Durations as experiment files write them: a number and a unit, possibly several (<c>7d</c>, <c>1h30m</c>, <c>500ms</c>).</summary>
public static partial class DurationText
{
    private static readonly (string Unit, TimeSpan Size)[] Units =
    [
        ("w", TimeSpan.FromDays(7)), ("d", TimeSpan.FromDays(1)), ("h", TimeSpan.FromHours(1)),
        ("m", TimeSpan.FromMinutes(1)), ("s", TimeSpan.FromSeconds(1)), ("ms", TimeSpan.FromMilliseconds(1)),
    ];

    private const long MaxCount = 1_000_000;

    /// <summary>
    /// Reads a duration such as <c>7d</c>; false when the text is not one, is zero (unless <paramref name="allowZero"/>: <c>0ms</c>),
    /// or is longer than 1,000,000 days (which <see cref="Format"/> could not write back as text this reads).
    /// </summary>
    public static bool TryParse(string? text, out TimeSpan duration, bool allowZero = false)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text) || !Whole().IsMatch(text))
        {
            return false;
        }

        foreach (Match part in Part().Matches(text))
        {
            if (!long.TryParse(part.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count > MaxCount)
            {
                return false;
            }

            // Format writes whole days: more than MaxCount of them would be stored as text this refuses to read back. Checked
            // at every part, so the sum never overflows (each part is at most 7,000,000 days).
            duration += Units.Single(u => u.Unit == part.Groups[2].Value).Size * count;
            if (duration.Days > MaxCount)
            {
                return false;
            }
        }

        return duration > TimeSpan.Zero || allowZero;
    }

    /// <summary>Writes a duration in the same form, days and smaller, largest first (<c>7d</c>, <c>1h30m</c>).</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return "0s";
        }

        var text = new StringBuilder();
        foreach (var (unit, size) in Units.Where(u => u.Unit != "w"))
        {
            var count = duration.Ticks / size.Ticks;
            if (count > 0)
            {
                text.Append(count.ToString(CultureInfo.InvariantCulture)).Append(unit);
                duration -= size * count;
            }
        }

        return text.ToString();
    }

    [GeneratedRegex(@"^([0-9]+(ms|w|d|h|m|s))+\z")]
    private static partial Regex Whole();

    [GeneratedRegex("([0-9]+)(ms|w|d|h|m|s)")]
    private static partial Regex Part();
}
