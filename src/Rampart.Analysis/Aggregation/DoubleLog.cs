using System.Runtime.CompilerServices;

namespace Rampart.Analysis.Aggregation;

/// <summary>A growable array of doubles (every latency, in exact mode), compiled fully optimised from the first call.</summary>
internal sealed class DoubleLog
{
    private double[] values = new double[256];

    /// <summary>The number of values.</summary>
    public int Count { get; private set; }

    /// <summary>The values, in the order added (or sorted, once sorted in place).</summary>
    public Span<double> Span => values.AsSpan(0, Count);

    /// <summary>The last value; only when <see cref="Count"/> &gt; 0.</summary>
    public double Last => values[Count - 1];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(double value)
    {
        if (Count == values.Length)
        {
            Array.Resize(ref values, values.Length * 2);
        }

        values[Count++] = value;
    }

    /// <summary>Writes the values, for <see cref="Read"/>.</summary>
    public void Write(Checkpoints.CheckpointWriter writer) => writer.WriteSpan<double>(Span);

    /// <summary>Reads values <see cref="Write"/> wrote.</summary>
    public static DoubleLog Read(Checkpoints.CheckpointReader reader)
    {
        var values = reader.ReadArray<double>();
        return new DoubleLog { values = values.Length > 0 ? values : new double[256], Count = values.Length };
    }

    public void AddRange(DoubleLog other)
    {
        foreach (var value in other.Span)
        {
            Add(value);
        }
    }
}
