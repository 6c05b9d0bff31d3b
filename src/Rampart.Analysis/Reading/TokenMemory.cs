using System.Runtime.CompilerServices;
using Rampart.Core.Events;

namespace Rampart.Analysis.Reading;

/// <summary>
/// The last string token of each field and what it meant. Events of one unit, one variant, one request repeat most of
/// their strings line after line; a token byte-for-byte equal to one already checked is the same valid value, so it
/// is taken without scanning it again.
/// </summary>
internal sealed class TokenMemory
{
    private const int LongestRemembered = 4096;
    private readonly byte[][] tokens = [.. Enumerable.Range(0, EventFields.Count).Select(_ => new byte[64])];
    private readonly int[] lengths = new int[EventFields.Count];
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

        if (field == EventFields.Error && tokens[field].AsSpan(0, length).Contains((byte)'\\'))
        {
            return false; // Only unescaped bytes can be compared with "cancelled"; the scan reads an escaped one properly.
        }

        var value = (i + 1)..(after - 1);
        switch (field)
        {
            case EventFields.Type: parsed.Type = type; parsed.HasType = true; break;
            case EventFields.Experiment: parsed.Experiment = value; break;
            case EventFields.Variant: parsed.Variant = value; break;
            case EventFields.Unit: parsed.Unit = value; break;
            case EventFields.Id: parsed.Id = value; break;
            case EventFields.RequestId: parsed.RequestId = value; break;
            case EventFields.Score: parsed.Score = value; break;
            case EventFields.Source: parsed.Source = value; break;
            case EventFields.PairId: parsed.PairId = value; break;
            case EventFields.Model: parsed.Model = value; break;
            case EventFields.Ts: parsed.TsTicks = ticks; parsed.HasTs = true; break;
            case EventFields.Error:
                parsed.Cancelled = tokens[field].AsSpan(0, length).SequenceEqual(CancelledCall.ErrorToken);
                parsed.Failed = !parsed.Cancelled;
                break;
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
