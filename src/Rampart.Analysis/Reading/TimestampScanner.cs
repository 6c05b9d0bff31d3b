using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Rampart.Analysis.Reading;

/// <summary>The <c>ts</c> field for <see cref="LineScanner"/>: the canonical UTC form by hand, anything else by the reader's own ISO 8601 parser.</summary>
internal static class TimestampScanner
{
    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Disallow };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool Timestamp(ReadOnlySpan<byte> line, ref int i, ref ParsedEvent parsed)
    {
        var quote = i;
        if (!JsonScalars.String(line, ref i, out var start, out var length, out _))
        {
            return false;
        }

        if (length == 20 && CanonicalUtc(line.Slice(start, length), out var ticks))
        {
            parsed.TsTicks = ticks;
            parsed.HasTs = true;
            return true;
        }

        // Anything but yyyy-MM-ddTHH:mm:ssZ: the reader's own ISO 8601 parsing, on the string token alone.
        var reader = new Utf8JsonReader(line[quote..i], Options);
        try
        {
            if (!reader.Read() || !reader.TryGetDateTimeOffset(out var when))
            {
                return false;
            }

            parsed.TsTicks = when.UtcTicks;
            parsed.HasTs = true;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // yyyy-MM-ddTHH:mm:ssZ with a real date and a second below 60; anything else goes to the reader's parser.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool CanonicalUtc(ReadOnlySpan<byte> s, out long ticks)
    {
        ticks = 0;
        if (s[4] != (byte)'-' || s[7] != (byte)'-' || s[10] != (byte)'T' || s[13] != (byte)':' || s[16] != (byte)':' || s[19] != (byte)'Z'
            || !Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)
            || !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute) || !Digits(s, 17, 2, out var second)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        ticks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Digits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        for (var k = start; k < start + count; k++)
        {
            var digit = s[k] - (byte)'0';
            if ((uint)digit > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }
}
