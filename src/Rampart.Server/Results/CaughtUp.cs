using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;

namespace Rampart.Server.Results;

/// <summary>The start of every read of an experiment's figures: the experiment, with every acknowledged event counted.</summary>
internal static class CaughtUp
{
    /// <summary>The experiment <paramref name="key"/> (null when there is none) once the aggregates hold every stored event.</summary>
    public static async Task<Experiment?> FindAsync(string key, IExperimentStore store, EventFollower follower, CancellationToken cancellationToken)
    {
        var experiment = ExperimentDefinition.IsValidKey(key) ? await store.FindAsync(key, cancellationToken).ConfigureAwait(false) : null;
        if (experiment is not null)
        {
            await follower.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        }

        return experiment;
    }
}
