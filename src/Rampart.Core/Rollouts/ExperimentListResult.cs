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
}
