using Rampart.Core.Experiments;

namespace Rampart.Core.Rollouts;

/// <summary>
/// What listing the stored experiments found: every one that could be read, and every one that could not, named with why.
/// One damaged row hides only itself, so whoever lists (the monitor, the API, the CLI) still has all the others.
/// </summary>
/// <param name="Experiments">The experiments that could be read, by key.</param>
/// <param name="Unreadable">The stored experiments that could not be read, by key.</param>
public sealed record ExperimentListResult(IReadOnlyList<Experiment> Experiments, IReadOnlyList<UnreadableExperiment> Unreadable)
{
    /// <summary>A listing in which every stored experiment could be read.</summary>
    public ExperimentListResult(IReadOnlyList<Experiment> experiments)
        : this(experiments, [])
    {
    }

    /// <summary>
    /// The problems of <paramref name="candidate"/> against the listed experiments' layers (<see cref="LayerRules"/>); a
    /// candidate in a layer cannot be checked against an experiment that could not be read either (its layer is unknown),
    /// which is a problem naming it.
    /// </summary>
    public IReadOnlyList<string> LayerConflicts(ExperimentDefinition candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var problems = new List<string>(LayerRules.Conflicts(candidate, Experiments.Select(e => e.Definition)));
        if (candidate.Layer is { } layer)
        {
            problems.AddRange(Unreadable.Where(u => u.Key != candidate.Key).Select(u =>
                $"layer.range of layer '{layer.Name}' cannot be checked against experiment '{u.Key}', which is stored but cannot be read ({u.Reason.TrimEnd('.')}); mend that experiment first (docs/operations.md, \"Unreadable experiments\") or create this one without a layer"));
        }

        return problems;
    }
}
