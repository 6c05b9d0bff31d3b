using System.Collections.Concurrent;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;

namespace Rampart.Server.Experiments;

/// <summary>
/// An <see cref="ExperimentAssigner"/> per experiment, so assignment needs no store round trip. Refreshed at once by every
/// state change made through this server, and from the store about every second (changes made elsewhere: the CLI,
/// another server). A key not in memory is looked up in the store.
/// </summary>
internal sealed class ExperimentSnapshots(IExperimentStore store)
{
    private readonly ConcurrentDictionary<string, ExperimentAssigner> assigners = new(StringComparer.Ordinal);

    /// <summary>The assigner of <paramref name="key"/>, or null when no such experiment exists.</summary>
    public async ValueTask<ExperimentAssigner?> FindAsync(string key, CancellationToken cancellationToken)
    {
        if (assigners.TryGetValue(key, out var assigner))
        {
            return assigner;
        }

        if (!ExperimentDefinition.IsValidKey(key))
        {
            return null;
        }

        var experiment = await store.FindAsync(key, cancellationToken).ConfigureAwait(false);
        return experiment is null ? null : Update(experiment);
    }

    /// <summary>Serves <paramref name="experiment"/> from now on, unless a newer version is already served.</summary>
    public ExperimentAssigner Update(Experiment experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        return assigners.AddOrUpdate(
            experiment.Key,
            _ => new ExperimentAssigner(experiment),
            (_, current) => current.Experiment.Version >= experiment.Version ? current : new ExperimentAssigner(experiment));
    }

    /// <summary>
    /// Re-reads every experiment from the store. One whose stored row cannot be read keeps being served as last read (the
    /// monitor names it on <c>/healthz</c>); it does not hold back the others.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        foreach (var experiment in (await store.ListAsync(cancellationToken).ConfigureAwait(false)).Experiments)
        {
            if (!assigners.TryGetValue(experiment.Key, out var current) || current.Experiment.Version < experiment.Version)
            {
                Update(experiment);
            }
        }
    }
}
