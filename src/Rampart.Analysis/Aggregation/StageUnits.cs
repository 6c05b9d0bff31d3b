namespace Rampart.Analysis.Aggregation;

/// <summary>The distinct units one variant served at one stage, among exposures and among completions, for the per-stage sample-ratio test.</summary>
internal sealed class StageUnits
{
    private HashSet<EventKey> exposed = [];
    private HashSet<EventKey> served = [];

    public void Add(EventKey unit, bool exposure) => (exposure ? exposed : served).Add(unit);

    public long Count(bool fromExposures) => fromExposures ? exposed.Count : served.Count;

    public void Write(Checkpoints.CheckpointWriter writer)
    {
        writer.Write(exposed);
        writer.Write(served);
    }

    public static StageUnits Read(Checkpoints.CheckpointReader reader) => new() { exposed = reader.ReadKeySet(), served = reader.ReadKeySet() };

    public void Merge(StageUnits other)
    {
        exposed.UnionWith(other.exposed);
        served.UnionWith(other.served);
    }
}
