using Rampart.Stats.Sketches;

namespace Rampart.Analysis.Monitoring;

/// <summary>
/// The requests of one variant counted from one starting point: index 0 is its whole history, index k ≥ 1 the test restarted
/// at its (k·K)-th request. Keeps counts and a 1% sketch of successful latencies (bounded memory).
/// </summary>
public sealed class GuardrailSegment
{
    private QuantileSketch latencies = new(0.01);

    /// <summary>Creates a segment starting after <paramref name="startRequest"/> requests.</summary>
    public GuardrailSegment(long index, long startRequest)
    {
        Index = index;
        StartRequest = startRequest;
    }

    /// <summary>0 for the whole history; k for the k-th restart.</summary>
    public long Index { get; }

    /// <summary>The variant's request count when this segment began.</summary>
    public long StartRequest { get; }

    /// <summary>Requests in this segment.</summary>
    public long Requests { get; private set; }

    /// <summary>Failed requests in this segment.</summary>
    public long Errors { get; private set; }

    /// <summary>Successful requests in this segment.</summary>
    public long Successes => latencies.Count;

    /// <summary>Records one request.</summary>
    public void Add(bool failed, double latencyMs)
    {
        Requests++;
        if (failed)
        {
            Errors++;
        }
        else
        {
            latencies.Add(latencyMs is >= 0 and < double.PositiveInfinity ? latencyMs : 0);
        }
    }

    /// <summary>Successful requests slower than <paramref name="thresholdMs"/> (within the sketch's 1%).</summary>
    public long CountSlowerThan(double thresholdMs) => latencies.CountAbove(thresholdMs);

    /// <summary>The q-quantile of successful latencies, or null when there are none.</summary>
    public double? Quantile(double q) => latencies.Quantile(q);

    /// <summary>Writes where the segment starts and its counts, for <see cref="Read"/> (which takes the start first).</summary>
    internal void Write(Checkpoints.CheckpointWriter writer)
    {
        writer.Write(Index);
        writer.Write(StartRequest);
        writer.Write(Requests);
        writer.Write(Errors);
        latencies.WriteTo(writer.Binary);
    }

    /// <summary>Reads, into this empty segment, the counts <see cref="Write"/> wrote after the start.</summary>
    internal void Read(Checkpoints.CheckpointReader reader)
    {
        if (Index == 0 && StartRequest == 0 && Requests == 0)
        {
            // The whole history's segment is created by its counter: its start was written too, and must be (0, 0).
            Checkpoints.CheckpointReader.Check(reader.ReadInt64() == 0 && reader.ReadInt64() == 0, "The whole history's segment must start at 0.");
        }

        Requests = reader.ReadInt64();
        Errors = reader.ReadInt64();
        latencies = QuantileSketch.ReadFrom(reader.Binary);
        Checkpoints.CheckpointReader.Check(Requests >= 0 && Errors >= 0 && Errors + latencies.Count == Requests, "A guardrail segment's counts do not add up.");
    }
}
