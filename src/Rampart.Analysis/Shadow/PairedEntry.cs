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
}
