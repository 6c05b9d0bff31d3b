namespace Rampart.Analysis.Aggregation;

/// <summary>The distinct units one variant served at one stage, among exposures and among completions, for the per-stage sample-ratio test.</summary>
internal sealed class StageUnits
{
    private KeySet exposed = new();
    private KeySet served = new();

    public void Add(EventKey unit, bool exposure) => (exposure ? exposed : served).Add(unit);

    public long Count(bool fromExposures) => fromExposures ? exposed.Count : served.Count;

    public void Write(Checkpoints.CheckpointWriter writer)
    {
        exposed.Write(writer);
        served.Write(writer);
    }

    public static StageUnits Read(Checkpoints.CheckpointReader reader) => new() { exposed = KeySet.Read(reader), served = KeySet.Read(reader) };

    public void Merge(StageUnits other)
    {
        exposed.UnionWith(other.exposed);
        served.UnionWith(other.served);
    }
}
