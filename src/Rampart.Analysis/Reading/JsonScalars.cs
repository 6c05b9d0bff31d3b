using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Unicode;
using Rampart.Core.Events;

namespace Rampart.Analysis.Reading;

/// <summary>
/// JSON scalars read by hand for <see cref="LineScanner"/>, accepting only what <see cref="Utf8JsonReader"/> accepts: strings
/// without raw control characters and with valid UTF-8, numbers in JSON's grammar converted exactly as <see cref="Utf8Parser"/>
/// (which <see cref="Utf8JsonReader.TryGetDouble"/> and <see cref="Utf8JsonReader.TryGetInt64"/> use) converts them, literals,
/// and JSON whitespace. Each returns false rather than guess.
/// </summary>
internal static class JsonScalars
{
    // A JSON string starting at line[i]; i ends after its closing quote. Raw control characters are invalid JSON, and raw
    // bytes must be valid UTF-8. Short strings (names, ids, numbers' neighbours) are scanned byte by byte, which beats
    // vectorised searches at these lengths; a long one (a prompt, an answer) switches to them.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool String(ReadOnlySpan<byte> line, ref int i, out int start, out int length, out bool escaped)
    {
        start = i + 1;
        length = 0;
        escaped = false;
        if (i >= line.Length || line[i] != (byte)'"')
        {
            return false;
        }

        var ascii = true;
        var j = start;
        var shortEnd = Math.Min(line.Length, start + 48);
        while (true)
        {
            if (j >= shortEnd)
            {
                return j < line.Length && LongString(line, start, ref i, out length, ref escaped);
            }

            var b = line[j];
            if (b == (byte)'"')
            {
                break;
            }

            if (b == (byte)'\\')
            {
                escaped = true;
                j += 2;
                continue;
            }

            if (b < 0x20)
            {
                return false;
            }

            ascii &= b < 0x80;
            j++;
        }

        length = j - start;
        i = j + 1;
        return ascii || Utf8.IsValid(line.Slice(start, length));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool LongString(ReadOnlySpan<byte> line, int start, ref int i, out int length, ref bool escaped)
    {
        length = 0;
        var j = start;
        while (true)
        {
            var next = line[j..].IndexOfAny((byte)'"', (byte)'\\');
            if (next < 0)
            {
                return false;
            }

            j += next;
            if (line[j] == (byte)'"')
            {
                break;
            }

            escaped = true;
            j += 2;
            if (j >= line.Length)
            {
                return false;
            }
        }

        length = j - start;
        i = j + 1;
        var value = line.Slice(start, length);
        return value.IndexOfAnyInRange((byte)0, (byte)0x1F) < 0 && Utf8.IsValid(value);
    }


    // A number or null, within the range Core's EventNumberRules gives a field of this kind.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool Bounded(ReadOnlySpan<byte> line, ref int i, EventNumber kind, out double? value)
    {
        value = null;
        if (Null(line, ref i))
        {
            return true;
        }

        if (!Number(line, ref i, out var number) || !Double(number, out var parsed) || !EventNumberRules.IsValid(kind, parsed))
        {
            return false;
        }

        value = parsed;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool Whole(ReadOnlySpan<byte> line, ref int i, EventNumber kind, out long? value)
    {
        value = null;
        if (Null(line, ref i))
        {
            return true;
        }

        if (!Number(line, ref i, out var number) || !Utf8Parser.TryParse(number, out long parsed, out var used) || used != number.Length || !EventNumberRules.IsValid(kind, parsed))
        {
            return false;
        }

        value = parsed;
        return true;
    }

    // A valid JSON number as a double, rounded exactly like Utf8Parser (which Utf8JsonReader.TryGetDouble uses). Plain
    // decimals of up to 15 digits take Clinger's fast path: m < 2⁵³ and 10ᵏ ≤ 10²² are exact doubles, so m / 10ᵏ is one
    // correctly rounded division, the same double a correctly rounding parser returns.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool Double(ReadOnlySpan<byte> number, out double value)
    {
        if (number.Length <= 16)
        {
            long mantissa = 0;
            int digits = 0, point = -1;
            var negative = number[0] == (byte)'-';
            for (var k = negative ? 1 : 0; k < number.Length; k++)
            {
                var b = number[k];
                if (b == (byte)'.')
                {
                    point = k;
                    continue;
                }

                if ((uint)(b - '0') > 9)
                {
                    digits = -1;
                    break;
                }

                mantissa = (mantissa * 10) + (b - '0');
                digits++;
            }

            if (digits is > 0 and <= 15)
            {
                var scale = point < 0 ? 0 : number.Length - point - 1;
                value = mantissa / PowersOfTen[scale];
                value = negative ? -value : value;
                return true;
            }
        }

        return Utf8Parser.TryParse(number, out value, out var used) && used == number.Length;
    }

    private static readonly double[] PowersOfTen = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16];

    // JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool Number(ReadOnlySpan<byte> line, ref int i, out ReadOnlySpan<byte> number)
    {
        var start = i;
        number = default;
        var j = i;
        if (j < line.Length && line[j] == (byte)'-')
        {
            j++;
        }

        if (j >= line.Length || !IsDigit(line[j]))
        {
            return false;
        }

        if (line[j] == (byte)'0')
        {
            j++;
        }
        else
        {
            j = SkipDigits(line, j);
        }

        if (j < line.Length && line[j] == (byte)'.')
        {
            if (++j >= line.Length || !IsDigit(line[j]))
            {
                return false;
            }

            j = SkipDigits(line, j);
        }

        if (j < line.Length && (line[j] | 0x20) == (byte)'e')
        {
            if (++j < line.Length && line[j] is (byte)'+' or (byte)'-')
            {
                j++;
            }

            if (j >= line.Length || !IsDigit(line[j]))
            {
                return false;
            }

            j = SkipDigits(line, j);
        }

        number = line[start..j];
        i = j;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int SkipDigits(ReadOnlySpan<byte> line, int j)
    {
        while (j < line.Length && IsDigit(line[j]))
        {
            j++;
        }

        return j;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool Null(ReadOnlySpan<byte> line, ref int i) => Literal(line, ref i, "null"u8);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool Literal(ReadOnlySpan<byte> line, ref int i, ReadOnlySpan<byte> literal)
    {
        if (!line[i..].StartsWith(literal))
        {
            return false;
        }

        i += literal.Length;
        return true;
    }

    // JSON whitespace is exactly space, tab, carriage return and line feed.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int SkipSpace(ReadOnlySpan<byte> line, int i)
    {
        while (i < line.Length && line[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }

        return i;
    }
}
