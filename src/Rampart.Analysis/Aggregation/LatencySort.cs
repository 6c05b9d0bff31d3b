using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Rampart.Analysis.Aggregation;

/// <summary>
/// Sorts non-negative finite doubles (latencies) by a least-significant-digit radix sort on their bit patterns, which order
/// like the values for +0 and up: linear time, so a million latencies sort in a few passes instead of n·log n comparisons.
/// </summary>
internal static class LatencySort
{
    private const int Bits = 11;
    private const int Buckets = 1 << Bits;
    private const int SmallInput = 1024;

    /// <summary>Sorts <paramref name="values"/> (each ≥ +0, finite, no −0) ascending in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Sort(Span<double> values)
    {
        if (values.Length < SmallInput)
        {
            values.Sort();
            return;
        }

        var keys = MemoryMarshal.Cast<double, ulong>(values);
        var rented = ArrayPool<ulong>.Shared.Rent(keys.Length);
        try
        {
            var source = keys;
            var target = rented.AsSpan(0, keys.Length);
            var counts = new int[Buckets];
            for (var shift = 0; shift < 64; shift += Bits)
            {
                Array.Clear(counts);
                foreach (var key in source)
                {
                    counts[(int)(key >> shift) & (Buckets - 1)]++;
                }

                // A digit every key shares (the sign and most exponent bits of latencies) needs no pass.
                if (counts[(int)(source[0] >> shift) & (Buckets - 1)] == source.Length)
                {
                    continue;
                }

                var offset = 0;
                for (var b = 0; b < Buckets; b++)
                {
                    (counts[b], offset) = (offset, offset + counts[b]);
                }

                foreach (var key in source)
                {
                    target[counts[(int)(key >> shift) & (Buckets - 1)]++] = key;
                }

                var swap = source;
                source = target;
                target = swap;
            }

            if (source != keys)
            {
                source.CopyTo(keys);
            }
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(rented);
        }
    }
}
