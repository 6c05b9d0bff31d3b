using System.Buffers.Text;
using System.Runtime.CompilerServices;
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

    // EventLineWriter's order (docs/cli.md, Events): the fields a line most likely holds next.
    private static readonly int[] Order =
    [
        EventFields.Type, EventFields.Experiment, EventFields.Variant, EventFields.Unit, EventFields.Ts, EventFields.Id, EventFields.Stage,
        EventFields.RequestId, EventFields.Shadow, EventFields.PairId, EventFields.LatencyMs, EventFields.TtftMs, EventFields.PromptTokens, EventFields.CompletionTokens,
        EventFields.CostUsd, EventFields.Error, EventFields.Model, EventFields.Input, EventFields.Output, EventFields.Score,
        EventFields.Value, EventFields.Comment, EventFields.Source,
    ];

    private static readonly byte[][] OrderNames = [.. Order.Select(EventFields.Name)];

    // Next[field]: the position in Order of the field that follows it.
    private static readonly int[] Next = [.. Enumerable.Range(0, Order.Length).Select(f => Array.IndexOf(Order, f) + 1)];

    // "name": as it appears in compact lines, for the predicted field.
    private static readonly byte[][] OrderPrefixes = [.. OrderNames.Select(n => (byte[])[(byte)'"', .. n, (byte)'"', (byte)':'])];

    [ThreadStatic]
    private static char[]? scratch;

    [ThreadStatic]
    private static TokenMemory? memory;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryScan(ReadOnlySpan<byte> line, out ParsedEvent parsed)
    {
        parsed = default;
        var i = JsonScalars.SkipSpace(line, 0);
        if (i >= line.Length || line[i] != (byte)'{')
        {
            return false;
        }

        var seen = 0;
        var predicted = 0;
        var remembered = memory ??= new TokenMemory();
        i = JsonScalars.SkipSpace(line, i + 1);
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
                if (!JsonScalars.String(line, ref i, out var nameStart, out var nameLength, out var escaped) || escaped)
                {
                    return false;
                }

                field = EventFields.Of(line.Slice(nameStart, nameLength));
                i = JsonScalars.SkipSpace(line, i);
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
            i = JsonScalars.SkipSpace(line, i);
            if (!(remembered.Repeats(line, i, field, ref parsed, out var after) ? Advance(ref i, after) : Value(field, line, ref i, ref parsed, remembered)))
            {
                return false;
            }

            i = JsonScalars.SkipSpace(line, i);
            if (i >= line.Length)
            {
                return false;
            }

            if (line[i] == (byte)'}')
            {
                return JsonScalars.SkipSpace(line, i + 1) == line.Length && EventFields.IsComplete(line, parsed);
            }

            if (line[i] != (byte)',')
            {
                return false;
            }

            i = JsonScalars.SkipSpace(line, i + 1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Advance(ref int i, int after)
    {
        i = after;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Value(int field, ReadOnlySpan<byte> line, ref int i, ref ParsedEvent parsed, TokenMemory remembered)
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
            case EventFields.Ts: return TimestampScanner.Timestamp(line, ref i, ref parsed);
            case EventFields.RequestId: return JsonScalars.Null(line, ref i) || (Id(line, ref i, out var request) && Set(out parsed.RequestId, request));
            case EventFields.Score: return JsonScalars.Null(line, ref i) || (Id(line, ref i, out var score) && Set(out parsed.Score, score));
            case EventFields.Id: return JsonScalars.Null(line, ref i) || (Id(line, ref i, out var id) && Set(out parsed.Id, id));
            case EventFields.Error:
                if (JsonScalars.Null(line, ref i))
                {
                    return true;
                }

                // An escaped error goes to ReaderEventParser, which unescapes it before comparing it with "cancelled".
                var errorStart = i;
                if (!JsonScalars.String(line, ref i, out _, out _, out var escapedError) || escapedError)
                {
                    return false;
                }

                parsed.Cancelled = line[errorStart..i].SequenceEqual(CancelledCall.ErrorToken);
                parsed.Failed = !parsed.Cancelled;
                return true;
            case EventFields.Source: return JsonScalars.Null(line, ref i) || (Id(line, ref i, out var source) && Set(out parsed.Source, source));
            case EventFields.PairId: return JsonScalars.Null(line, ref i) || (Id(line, ref i, out var pair) && Set(out parsed.PairId, pair));
            case EventFields.Shadow:
                if (JsonScalars.Literal(line, ref i, "true"u8))
                {
                    parsed.Shadow = true;
                    return true;
                }

                return JsonScalars.Literal(line, ref i, "false"u8) || JsonScalars.Null(line, ref i);
            case EventFields.Model: return JsonScalars.Null(line, ref i) || (Unescaped(line, ref i, out var model) && Set(out parsed.Model, model));
            case EventFields.Input or EventFields.Output or EventFields.Comment:
                return JsonScalars.Null(line, ref i) || Text(line, ref i, nonEmpty: false);
            case EventFields.Stage: return JsonScalars.Whole(line, ref i, EventNumber.Stage, out _);
            case EventFields.PromptTokens: return JsonScalars.Whole(line, ref i, EventNumber.Tokens, out parsed.PromptTokens);
            case EventFields.CompletionTokens: return JsonScalars.Whole(line, ref i, EventNumber.Tokens, out parsed.CompletionTokens);
            case EventFields.LatencyMs: return JsonScalars.Bounded(line, ref i, EventNumber.Latency, out parsed.LatencyMs);
            case EventFields.TtftMs: return JsonScalars.Bounded(line, ref i, EventNumber.Latency, out _);
            case EventFields.CostUsd: return JsonScalars.Bounded(line, ref i, EventNumber.Cost, out parsed.CostUsd);
            default:
                if (JsonScalars.Literal(line, ref i, "true"u8))
                {
                    parsed.Value = 1;
                    return true;
                }

                if (JsonScalars.Literal(line, ref i, "false"u8))
                {
                    parsed.Value = 0;
                    return true;
                }

                if (!JsonScalars.Number(line, ref i, out var number) || !JsonScalars.Double(number, out var value) || !EventNumberRules.IsValid(EventNumber.Score, value))
                {
                    return false;
                }

                parsed.Value = value;
                return true;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
        if (!JsonScalars.String(line, ref i, out var start, out var length, out var escaped) || escaped || length == 0)
        {
            return false;
        }

        value = start..(start + length);
        return true;
    }

    // A string kept as bytes (a model's name): an escaped one goes to the next parser, which unescapes it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Unescaped(ReadOnlySpan<byte> line, ref int i, out Range value)
    {
        value = default;
        if (!JsonScalars.String(line, ref i, out var start, out var length, out var escaped) || escaped || !Utf8.IsValid(line.Slice(start, length)))
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
        if (!JsonScalars.String(line, ref i, out _, out var length, out var escaped) || (nonEmpty && length == 0))
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
}
