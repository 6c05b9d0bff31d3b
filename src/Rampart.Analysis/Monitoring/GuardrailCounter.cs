namespace Rampart.Analysis.Monitoring;

/// <summary>
/// One variant's guardrail counts: the whole history plus the restarted segments still running (at most
/// <see cref="GuardrailTuning.SegmentLength"/> at a time), so memory stays bounded however long the rollout runs.
/// </summary>
public sealed class GuardrailCounter
{
    private readonly GuardrailTuning tuning;
    private readonly List<GuardrailSegment> restarts = [];

    /// <summary>Creates an empty counter.</summary>
    public GuardrailCounter(GuardrailTuning? tuning = null)
    {
        this.tuning = tuning ?? GuardrailTuning.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(this.tuning.RestartEvery, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(this.tuning.SegmentLength, 1);
    }

    /// <summary>The whole history (segment 0).</summary>
    public GuardrailSegment Whole { get; } = new(0, 0);

    /// <summary>The restarted segments still running, oldest first.</summary>
    public IReadOnlyList<GuardrailSegment> Restarts => restarts;

    /// <summary>Records one request of the variant.</summary>
    public void Add(bool failed, double latencyMs)
    {
        var seen = Whole.Requests;
        var every = tuning.RestartEvery;
        if (seen > 0 && seen % every == 0)
        {
            restarts.RemoveAll(s => s.Requests >= (long)tuning.SegmentLength * every);
            restarts.Add(new GuardrailSegment(seen / every, seen));
        }

        Whole.Add(failed, latencyMs);
        foreach (var segment in restarts)
        {
            segment.Add(failed, latencyMs);
        }
    }

    /// <summary>Writes the counts of the whole history and of each restart, for <see cref="Read"/>.</summary>
    internal void Write(Checkpoints.CheckpointWriter writer)
    {
        Whole.Write(writer);
        writer.Write(restarts.Count);
        restarts.ForEach(segment => segment.Write(writer));
    }

    /// <summary>Reads, into this empty counter, the counts <see cref="Write"/> wrote.</summary>
    internal void Read(Checkpoints.CheckpointReader reader)
    {
        Checkpoints.CheckpointReader.Check(Whole.Requests == 0 && restarts.Count == 0, "Counts can only be read into an empty counter.");
        Whole.Read(reader);
        var count = reader.ReadCount(tuning.SegmentLength + 1);
        for (var i = 0; i < count; i++)
        {
            var segment = new GuardrailSegment(reader.ReadInt64(), reader.ReadInt64());
            segment.Read(reader);
            restarts.Add(segment);
        }
    }
}
