using Rampart.Core.Allocation;

namespace Rampart.Core.Experiments;

/// <summary>
/// An experiment's place in a mutually exclusive layer (docs/targeting.md, Layers and holdouts): every experiment of layer
/// <paramref name="Name"/> takes the units whose layer bucket (<c>XxHash64("layer/" + name + ":" + unit) mod 10000</c>,
/// the same for every experiment of the layer) falls in its own range [<paramref name="Start"/>, <paramref name="End"/>),
/// ranges of one layer never overlapping, so a unit is in at most one of them; the top <paramref name="Holdout"/> of the
/// buckets is held out of every experiment of the layer.
/// </summary>
/// <param name="Name">The layer's name, <c>[a-z0-9][a-z0-9_-]{0,63}</c>.</param>
/// <param name="Start">Where the experiment's range of the layer begins.</param>
/// <param name="End">Where it ends (exclusive), above <paramref name="Start"/>.</param>
/// <param name="Holdout">The share of units held out of every experiment of the layer: buckets [10000 − holdout, 10000).</param>
public sealed record LayerMembership(string Name, Weight Start, Weight End, Weight Holdout)
{
    /// <summary>The salt of the layer's hash.</summary>
    public string Salt => "layer/" + Name;

    /// <summary>True when layer bucket <paramref name="bucket"/> is held out of every experiment of the layer.</summary>
    public bool HoldsOut(int bucket) => bucket >= Weight.TotalBuckets - Holdout.Buckets;

    /// <summary>True when layer bucket <paramref name="bucket"/> is in this experiment's range.</summary>
    public bool Contains(int bucket) => bucket >= Start.Buckets && bucket < End.Buckets;

    /// <summary>True when this range and <paramref name="other"/>'s share a bucket.</summary>
    public bool Overlaps(LayerMembership other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Start.Buckets < other.End.Buckets && other.Start.Buckets < End.Buckets;
    }
}
