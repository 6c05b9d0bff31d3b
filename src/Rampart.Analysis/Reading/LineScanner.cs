using System.Runtime.CompilerServices;
using System.Buffers.Text;
using System.Text.Json;
using System.Text.Unicode;
using Rampart.Core.Events;

namespace Rampart.Analysis.Reading;

/// <summary>
/// The first try of <see cref="FastEventParser"/>: a hand-written scanner for a flat JSON object of known fields, the shape
/// Rampart writes. It accepts only what <see cref="Utf8JsonReader"/> and Core's parser accept — strict JSON grammar, valid
/// UTF-8, no control characters in strings — and gives up (returns false) on anything unusual (an unknown field, an escaped
/// id, a nested value), leaving it to the slower readers. Numbers go through <see cref="Utf8Parser"/>, which
/// <see cref="Utf8JsonReader.TryGetDouble"/> and <see cref="Utf8JsonReader.TryGetInt64"/> use too.
/// </summary>
internal static class LineScanner
{
    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Disallow };

    // EventLineWriter's order (DESIGN §3): the fields a line most likely holds next.
    private static readonly int[] Order =
    [
        EventFields.Type, EventFields.Experiment, EventFields.Variant, EventFields.Unit, EventFields.Ts, EventFields.Id, EventFields.Stage,
        EventFields.RequestId, EventFields.LatencyMs, EventFields.TtftMs, EventFields.PromptTokens, EventFields.CompletionTokens,
        EventFields.CostUsd, EventFields.Error, EventFields.Model, EventFields.Input, EventFields.Output, EventFields.Score,
        EventFields.Value, EventFields.Comment,
    ];

    private static readonly byte[][] OrderNames = [.. Order.Select(EventFields.Name)];

    // Next[field]: the position in Order of the field that follows it.
    private static readonly int[] Next = [.. Enumerable.Range(0, Order.Length).Select(f => Array.IndexOf(Order, f) + 1)];

    // "name": as it appears in compact lines, for the predicted field.
    private static readonly byte[][] OrderPrefixes = [.. OrderNames.Select(n => (byte[])[(byte)'"', .. n, (byte)'"', (byte)':'])];

    [ThreadStatic]
    private static char[]? scratch;

    [ThreadStatic]
    private static Memory? memory;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryScan(ReadOnlySpan<byte> line, out ParsedEvent parsed)
    {
        parsed = default;
        var i = SkipSpace(line, 0);
        if (i >= line.Length || line[i] != (byte)'{')
        {
            return false;
        }

        var seen = 0;
        var predicted = 0;
        var remembered = memory ??= new Memory();
        i = SkipSpace(line, i + 1);
        while (true)
        {
            // Lines written by Rampart list their fields in one order without spaces, so "next_field": is tried first.
            int field;
            if (predicted < Order.Length && line[i..].StartsWith(OrderPrefixes[predicted]))
            {
                field = Order[predicted];
                i += OrderPrefixes[predicted].Length;
            }
            else
            {
                if (!String(line, ref i, out var nameStart, out var nameLength, out var escaped) || escaped)
                {
                    return false;
                }

                field = EventFields.Of(line.Slice(nameStart, nameLength));
                i = SkipSpace(line, i);
                if (field < 0 || i >= line.Length || line[i] != (byte)':')
                {
                    return false;
                }

                i++;
            }

            if ((seen & (1 << field)) != 0)
            {
                return false;
            }

            seen |= 1 << field;
            predicted = Next[field];
            i = SkipSpace(line, i);
            if (!(remembered.Repeats(line, i, field, ref parsed, out var after) ? Advance(ref i, after) : Value(field, line, ref i, ref parsed, remembered)))
            {
                return false;
            }

            i = SkipSpace(line, i);
            if (i >= line.Length)
            {
                return false;
            }

            if (line[i] == (byte)'}')
            {
                return SkipSpace(line, i + 1) == line.Length && EventFields.IsComplete(line, parsed);
            }

            if (line[i] != (byte)',')
            {
                return false;
            }

            i = SkipSpace(line, i + 1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Advance(ref int i, int after)
    {
        i = after;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Value(int field, ReadOnlySpan<byte> line, ref int i, ref ParsedEvent parsed, Memory remembered)
    {
        var start = i;
        if (!Value(field, line, ref i, ref parsed))
        {
            return false;
        }

        remembered.Remember(line, start, i, field, parsed);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Value(int field, ReadOnlySpan<byte> line, ref int i, ref ParsedEvent parsed)
    {
        switch (field)
        {
            case EventFields.Type:
                if (!Id(line, ref i, out var type))
                {
                    return false;
                }

                var text = line[type];
                parsed.Type = text.SequenceEqual("completion"u8) ? EventType.Completion
                    : text.SequenceEqual("feedback"u8) ? EventType.Feedback
                    : text.SequenceEqual("exposure"u8) ? EventType.Exposure
                    : (EventType)(-1);
                parsed.HasType = parsed.Type >= 0;
                return parsed.HasType;
            case EventFields.Experiment: return Id(line, ref i, out parsed.Experiment);
            case EventFields.Variant: return Id(line, ref i, out parsed.Variant);
            case EventFields.Unit: return Id(line, ref i, out parsed.Unit);
            case EventFields.Ts: return Timestamp(line, ref i, ref parsed);
            case EventFields.RequestId: return Null(line, ref i) || (Id(line, ref i, out var request) && Set(out parsed.RequestId, request));
            case EventFields.Score: return Null(line, ref i) || (Id(line, ref i, out var score) && Set(out parsed.Score, score));
            case EventFields.Id: return Null(line, ref i) || Text(line, ref i, nonEmpty: true);
            case EventFields.Error:
                parsed.Failed = !Null(line, ref i);
                return !parsed.Failed || Text(line, ref i, nonEmpty: false);
            case EventFields.Model or EventFields.Input or EventFields.Output or EventFields.Comment:
                return Null(line, ref i) || Text(line, ref i, nonEmpty: false);
            case EventFields.Stage: return Whole(line, ref i, int.MaxValue, out _);
            case EventFields.PromptTokens: return Whole(line, ref i, long.MaxValue, out parsed.PromptTokens);
            case EventFields.CompletionTokens: return Whole(line, ref i, long.MaxValue, out parsed.CompletionTokens);
            case EventFields.LatencyMs: return NonNegative(line, ref i, out parsed.LatencyMs);
            case EventFields.TtftMs: return NonNegative(line, ref i, out _);
            case EventFields.CostUsd: return NonNegative(line, ref i, out parsed.CostUsd);
            default:
                if (Literal(line, ref i, "true"u8))
                {
                    parsed.Value = 1;
                    return true;
                }

                if (Literal(line, ref i, "false"u8))
                {
                    parsed.Value = 0;
                    return true;
                }

                if (!Number(line, ref i, out var number) || !Double(number, out var value) || !double.IsFinite(value))
                {
                    return false;
                }

                parsed.Value = value;
                return true;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Set(out Range? target, Range value)
    {
        target = value;
        return true;
    }

    // A non-empty, unescaped, valid UTF-8 string: ids are hashed and interned as bytes.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Id(ReadOnlySpan<byte> line, ref int i, out Range value)
    {
        value = default;
        if (!String(line, ref i, out var start, out var length, out var escaped) || escaped || length == 0)
        {
            return false;
        }

        value = start..(start + length);
        return true;
    }

    // A string the analysis does not use: valid as GetString would find it (escapes checked by unescaping it).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Text(ReadOnlySpan<byte> line, ref int i, bool nonEmpty)
    {
        var quote = i;
        if (!String(line, ref i, out _, out var length, out var escaped) || (nonEmpty && length == 0))
        {
            return false;
        }

        return !escaped || CanUnescape(line[quote..i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool CanUnescape(ReadOnlySpan<byte> token)
    {
        if (scratch is null || scratch.Length < token.Length)
        {
            scratch = new char[Math.Max(token.Length, 1024)];
        }

        try
        {
            var reader = new Utf8JsonReader(token, Options);
            reader.Read();
            reader.CopyString(scratch);
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    // A JSON string starting at line[i]; i ends after its closing quote. Raw control characters are invalid JSON, and raw
    // bytes must be valid UTF-8. Short strings (names, ids, numbers' neighbours) are scanned byte by byte, which beats
    // vectorised searches at these lengths; a long one (a prompt, an answer) switches to them.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool String(ReadOnlySpan<byte> line, ref int i, out int start, out int length, out bool escaped)
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
    private static bool LongString(ReadOnlySpan<byte> line, int start, ref int i, out int length, ref bool escaped)
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Timestamp(ReadOnlySpan<byte> line, ref int i, ref ParsedEvent parsed)
    {
        var quote = i;
        if (!String(line, ref i, out var start, out var length, out _))
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool NonNegative(ReadOnlySpan<byte> line, ref int i, out double? value)
    {
        value = null;
        if (Null(line, ref i))
        {
            return true;
        }

        if (!Number(line, ref i, out var number) || !Double(number, out var parsed) || !double.IsFinite(parsed) || !(parsed >= 0))
        {
            return false;
        }

        value = parsed;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Whole(ReadOnlySpan<byte> line, ref int i, long max, out long? value)
    {
        value = null;
        if (Null(line, ref i))
        {
            return true;
        }

        if (!Number(line, ref i, out var number) || !Utf8Parser.TryParse(number, out long parsed, out var used) || used != number.Length || parsed < 0 || parsed > max)
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
    private static bool Double(ReadOnlySpan<byte> number, out double value)
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
    private static bool Number(ReadOnlySpan<byte> line, ref int i, out ReadOnlySpan<byte> number)
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int SkipDigits(ReadOnlySpan<byte> line, int j)
    {
        while (j < line.Length && IsDigit(line[j]))
        {
            j++;
        }

        return j;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Null(ReadOnlySpan<byte> line, ref int i) => Literal(line, ref i, "null"u8);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Literal(ReadOnlySpan<byte> line, ref int i, ReadOnlySpan<byte> literal)
    {
        if (!line[i..].StartsWith(literal))
        {
            return false;
        }

        i += literal.Length;
        return true;
    }

    // JSON whitespace is exactly space, tab, carriage return and line feed.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int SkipSpace(ReadOnlySpan<byte> line, int i)
    {
        while (i < line.Length && line[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }

        return i;
    }

    /// <summary>
    /// The last string token of each field and what it meant. Events of one unit, one variant, one request repeat most of
    /// their strings line after line; a token byte-for-byte equal to one already checked is the same valid value, so it
    /// is taken without scanning it again.
    /// </summary>
    private sealed class Memory
    {
        private const int LongestRemembered = 4096;
        private readonly byte[][] tokens = [.. Enumerable.Range(0, 20).Select(_ => new byte[64])];
        private readonly int[] lengths = new int[20];
        private long ticks;
        private EventType type;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool Repeats(ReadOnlySpan<byte> line, int i, int field, ref ParsedEvent parsed, out int after)
        {
            var length = lengths[field];
            after = i + length;
            if (length == 0 || !line[i..].StartsWith(tokens[field].AsSpan(0, length)))
            {
                return false;
            }

            var value = (i + 1)..(after - 1);
            switch (field)
            {
                case EventFields.Type: parsed.Type = type; parsed.HasType = true; break;
                case EventFields.Experiment: parsed.Experiment = value; break;
                case EventFields.Variant: parsed.Variant = value; break;
                case EventFields.Unit: parsed.Unit = value; break;
                case EventFields.RequestId: parsed.RequestId = value; break;
                case EventFields.Score: parsed.Score = value; break;
                case EventFields.Ts: parsed.TsTicks = ticks; parsed.HasTs = true; break;
                case EventFields.Error: parsed.Failed = true; break;
                default: break;
            }

            return true;
        }

        // Only string tokens are remembered: numbers, literals and null are cheap to read again.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Remember(ReadOnlySpan<byte> line, int start, int end, int field, in ParsedEvent parsed)
        {
            var token = line[start..end];
            if (token.Length < 2 || token[0] != (byte)'"' || token.Length > LongestRemembered)
            {
                lengths[field] = 0;
                return;
            }

            if (token.Length > tokens[field].Length)
            {
                tokens[field] = new byte[token.Length];
            }

            token.CopyTo(tokens[field]);
            lengths[field] = token.Length;
            if (field == EventFields.Ts)
            {
                ticks = parsed.TsTicks;
            }
            else if (field == EventFields.Type)
            {
                type = parsed.Type;
            }
        }
    }
}
