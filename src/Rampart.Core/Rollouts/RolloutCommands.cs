namespace Rampart.Core.Rollouts;

/// <summary>
/// Carries out rollout commands against a store: read the experiment, apply the pure <see cref="Rollout"/> function,
/// write the result and its audit entry together. A concurrent change makes the write fail rather than be lost, and
/// the command is then re-evaluated against the new state (so two racing commands each leave one audit entry, or fail).
/// </summary>
public sealed class RolloutCommands(IExperimentStore store, TimeProvider time)
{
    private const int Attempts = 5;

    /// <summary>Applies <paramref name="change"/> to the experiment <paramref name="key"/> and stores the result.</summary>
    /// <exception cref="ArgumentNullException">when <paramref name="change"/> is null.</exception>
    /// <exception cref="ExperimentNotFoundException">when no experiment has the key <paramref name="key"/>.</exception>
    /// <exception cref="RolloutException">when <paramref name="change"/> cannot be made in the experiment's state (and any other exception <paramref name="change"/> throws, such as <see cref="Experiments.ExperimentValidationException"/>).</exception>
    /// <exception cref="ExperimentConflictException">when other writers changed the experiment first on each of 5 attempts.</exception>
    /// <exception cref="OperationCanceledException">when <paramref name="cancellationToken"/> is cancelled.</exception>
    public async Task<RolloutChange> ApplyAsync(string key, Func<Experiment, DateTimeOffset, RolloutChange> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 1; ; attempt++)
        {
            var experiment = await store.FindAsync(key, cancellationToken).ConfigureAwait(false)
                ?? throw new ExperimentNotFoundException(key);
            var result = change(experiment, time.GetUtcNow());
            try
            {
                await store.UpdateAsync(result.Experiment, result.Audit, cancellationToken).ConfigureAwait(false);
                return result;
            }
            catch (ExperimentConflictException) when (attempt < Attempts)
            {
                // Someone else changed it first: decide again on what is there now.
            }
        }
    }
}
