namespace Rampart.Analysis.Shadow;

/// <summary>What <see cref="PairedAggregate"/> holds for one pair id: the served call, each shadow variant's call and the verdicts on both.</summary>
internal sealed class PairedEntry(long id)
{
    public long Id { get; } = id;

    public bool Matched { get; set; }

    public PairedCall? Served { get; set; }

    public Dictionary<string, PairedCall>? Shadows { get; set; }

    public Dictionary<string, PairedVerdict>? ServedVerdicts { get; set; }

    // Keyed "variant\nscore": a variant name cannot hold a line break.
    public Dictionary<string, PairedVerdict>? ShadowVerdicts { get; set; }

    public void Write(Checkpoints.CheckpointWriter writer)
    {
        writer.Write(Id);
        writer.Write(Matched);
        writer.Write(Served.HasValue);
        if (Served is { } served)
        {
            Write(writer, served);
        }

        writer.Write(Shadows?.Count ?? -1);
        foreach (var (variant, call) in Shadows ?? [])
        {
            writer.Write(variant);
            Write(writer, call);
        }

        WriteVerdicts(writer, ServedVerdicts);
        WriteVerdicts(writer, ShadowVerdicts);
    }

    public static PairedEntry Read(Checkpoints.CheckpointReader reader)
    {
        var entry = new PairedEntry(reader.ReadInt64()) { Matched = reader.ReadBoolean() };
        entry.Served = reader.ReadBoolean() ? ReadCall(reader) : null;
        var shadows = reader.ReadInt32();
        if (shadows >= 0)
        {
            entry.Shadows = new(StringComparer.Ordinal);
            for (var i = 0; i < shadows; i++)
            {
                Checkpoints.CheckpointReader.Check(entry.Shadows.TryAdd(reader.ReadString(), ReadCall(reader)), "A shadow call appears twice in a pair.");
            }
        }

        entry.ServedVerdicts = ReadVerdicts(reader);
        entry.ShadowVerdicts = ReadVerdicts(reader);
        return entry;
    }

    private static void Write(Checkpoints.CheckpointWriter writer, PairedCall call)
    {
        writer.Write(call.Sequence);
        writer.Write(call.Failed);
        writer.Write(call.LatencyMs);
        writer.WriteNullable(call.CostUsd);
    }

    private static PairedCall ReadCall(Checkpoints.CheckpointReader reader) =>
        new(reader.ReadInt64(), reader.ReadBoolean(), reader.ReadDouble(), reader.ReadNullableDouble());

    private static void WriteVerdicts(Checkpoints.CheckpointWriter writer, Dictionary<string, PairedVerdict>? verdicts)
    {
        writer.Write(verdicts?.Count ?? -1);
        foreach (var (name, verdict) in verdicts ?? [])
        {
            writer.Write(name);
            writer.Write(verdict.TsTicks);
            writer.Write(verdict.Sequence);
            writer.Write(verdict.Value);
        }
    }

    private static Dictionary<string, PairedVerdict>? ReadVerdicts(Checkpoints.CheckpointReader reader)
    {
        var count = reader.ReadInt32();
        if (count < 0)
        {
            return null;
        }

        var verdicts = new Dictionary<string, PairedVerdict>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            Checkpoints.CheckpointReader.Check(verdicts.TryAdd(reader.ReadString(), new PairedVerdict(reader.ReadInt64(), reader.ReadInt64(), reader.ReadDouble())), "A verdict appears twice in a pair.");
        }

        return verdicts;
    }
}
