using System.Runtime.CompilerServices;
using Rampart.Core.Events;

namespace Rampart.Analysis.Reading;

/// <summary>The event fields the fast readers know (docs/cli.md, Events), by index, and the whole-line checks of Core's parser.</summary>
internal static class EventFields
{
    public const int Type = 0, Experiment = 1, Variant = 2, Unit = 3, Ts = 4, Id = 5, Stage = 6, RequestId = 7, LatencyMs = 8,
        TtftMs = 9, PromptTokens = 10, CompletionTokens = 11, CostUsd = 12, Error = 13, Model = 14, Input = 15, Output = 16,
        Score = 17, Value = 18, Comment = 19, Source = 20, Shadow = 21, PairId = 22;

    /// <summary>How many fields there are.</summary>
    public const int Count = 23;

    /// <summary>The index of the field named <paramref name="name"/> (raw UTF-8), or -1 for a field the format does not know.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Of(ReadOnlySpan<byte> name) => name.Length switch
    {
        2 when name.SequenceEqual("id"u8) => Id,
        2 when name.SequenceEqual("ts"u8) => Ts,
        4 when name.SequenceEqual("type"u8) => Type,
        4 when name.SequenceEqual("unit"u8) => Unit,
        5 when name.SequenceEqual("stage"u8) => Stage,
        5 when name.SequenceEqual("error"u8) => Error,
        5 when name.SequenceEqual("model"u8) => Model,
        5 when name.SequenceEqual("input"u8) => Input,
        5 when name.SequenceEqual("score"u8) => Score,
        5 when name.SequenceEqual("value"u8) => Value,
        6 when name.SequenceEqual("output"u8) => Output,
        6 when name.SequenceEqual("source"u8) => Source,
        6 when name.SequenceEqual("shadow"u8) => Shadow,
        7 when name.SequenceEqual("pair_id"u8) => PairId,
        7 when name.SequenceEqual("variant"u8) => Variant,
        7 when name.SequenceEqual("ttft_ms"u8) => TtftMs,
        7 when name.SequenceEqual("comment"u8) => Comment,
        8 when name.SequenceEqual("cost_usd"u8) => CostUsd,
        10 when name.SequenceEqual("experiment"u8) => Experiment,
        10 when name.SequenceEqual("request_id"u8) => RequestId,
        10 when name.SequenceEqual("latency_ms"u8) => LatencyMs,
        13 when name.SequenceEqual("prompt_tokens"u8) => PromptTokens,
        17 when name.SequenceEqual("completion_tokens"u8) => CompletionTokens,
        _ => -1,
    };

    /// <summary>The JSON name of field <paramref name="field"/>, as UTF-8.</summary>
    public static byte[] Name(int field) => field switch
    {
        Id => "id"u8.ToArray(), Ts => "ts"u8.ToArray(), Type => "type"u8.ToArray(), Unit => "unit"u8.ToArray(),
        Stage => "stage"u8.ToArray(), Error => "error"u8.ToArray(), Model => "model"u8.ToArray(), Input => "input"u8.ToArray(),
        Score => "score"u8.ToArray(), Value => "value"u8.ToArray(), Output => "output"u8.ToArray(), Variant => "variant"u8.ToArray(),
        TtftMs => "ttft_ms"u8.ToArray(), Comment => "comment"u8.ToArray(), CostUsd => "cost_usd"u8.ToArray(),
        Experiment => "experiment"u8.ToArray(), RequestId => "request_id"u8.ToArray(), LatencyMs => "latency_ms"u8.ToArray(),
        PromptTokens => "prompt_tokens"u8.ToArray(), CompletionTokens => "completion_tokens"u8.ToArray(), Source => "source"u8.ToArray(),
        Shadow => "shadow"u8.ToArray(), PairId => "pair_id"u8.ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a field index."),
    };

    // The checks of Core's EventValues.ToEvent; the parser produces the message when one fails.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool IsComplete(ReadOnlySpan<byte> line, in ParsedEvent parsed) =>
        parsed.HasType && IsSet(parsed.Experiment) && IsSet(parsed.Variant) && IsSet(parsed.Unit) && parsed.HasTs
        && IsValidKey(line[parsed.Experiment])
        && IsShortId(line, parsed.Id) && IsShortId(line, parsed.RequestId) && IsWithin(line, parsed.Score, EventLimits.MaxScoreNameLength)
        && (!parsed.Shadow || (parsed.PairId is not null && parsed.Type != EventType.Exposure))
        && parsed.Type switch
        {
            EventType.Completion => parsed.LatencyMs is not null,
            EventType.Feedback => parsed.Score is not null && parsed.Value is not null,
            _ => true,
        };

    // EventLimits.MaxIdLength counts characters; an unescaped id's UTF-8 bytes are never fewer, so one within it in bytes is
    // within it, and any other is left to the parser to count.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsShortId(ReadOnlySpan<byte> line, Range? id) => IsWithin(line, id, EventLimits.MaxIdLength);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsWithin(ReadOnlySpan<byte> line, Range? text, int maxCharacters) => text is not { } range || line[range].Length <= maxCharacters;

    // ExperimentDefinition.IsValidKey on bytes: [a-z0-9][a-z0-9_-]{0,63}. Unescaped JSON strings hold no raw newline, so the
    // regex's "$ before a final newline" cannot arise here.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsValidKey(ReadOnlySpan<byte> key)
    {
        if (key.Length is 0 or > 64 || !IsLowerAlphanumeric(key[0]))
        {
            return false;
        }

        foreach (var b in key[1..])
        {
            if (!IsLowerAlphanumeric(b) && b != (byte)'_' && b != (byte)'-')
            {
                return false;
            }
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsLowerAlphanumeric(byte b) => b is >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9';

    /// <summary>A set range: ids are never empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsSet(Range range) => range.End.Value > range.Start.Value;
}
