namespace Rampart.Core.Experiments;

/// <summary>What experiments of one layer must agree on (docs/targeting.md): ranges that do not overlap, and one holdout.</summary>
public static class LayerRules
{
    /// <summary>
    /// The problems of <paramref name="candidate"/> against the other stored experiments <paramref name="others"/> (any with the
    /// candidate's key is its older self and is skipped), each naming the field: a range overlapping another experiment's of
    /// the same layer, or a holdout other than the layer's.
    /// </summary>
    public static IReadOnlyList<string> Conflicts(ExperimentDefinition candidate, IEnumerable<ExperimentDefinition> others)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(others);
        var problems = new List<string>();
        if (candidate.Layer is not { } layer)
        {
            return problems;
        }

        foreach (var other in others)
        {
            if (other.Key == candidate.Key || other.Layer is not { } theirs || theirs.Name != layer.Name)
            {
                continue;
            }

            if (layer.Overlaps(theirs))
            {
                problems.Add($"layer.range [{layer.Start.Percent}, {layer.End.Percent}] overlaps experiment '{other.Key}''s range [{theirs.Start.Percent}, {theirs.End.Percent}] of layer '{layer.Name}'; experiments of one layer take disjoint ranges");
            }

            if (layer.Holdout != theirs.Holdout)
            {
                problems.Add($"layer.holdout {layer.Holdout.Percent} differs from layer '{layer.Name}''s holdout {theirs.Holdout.Percent} (experiment '{other.Key}'); every experiment of a layer holds out the same units");
            }
        }

        return problems;
    }
}
