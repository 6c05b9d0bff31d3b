using Rampart.Core.Audit;

namespace Rampart.Core.Rollouts;

/// <summary>Persistence of experiments, their range-table history and their audit log.</summary>
public interface IExperimentStore
{
    /// <summary>Stores a new experiment with its creation audit entry; throws <see cref="ExperimentConflictException"/> when the key is taken.</summary>
    Task CreateAsync(Experiment experiment, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>The experiment with <paramref name="key"/>, or null.</summary>
    Task<Experiment?> FindAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Every experiment, by key.</summary>
    Task<IReadOnlyList<Experiment>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores the next version of an experiment (its <see cref="Experiment.Version"/> one above the stored one) with its
    /// audit entry, in one transaction; throws <see cref="ExperimentConflictException"/> when another change got there first.
    /// </summary>
    Task UpdateAsync(Experiment experiment, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>The audit log of <paramref name="key"/>, oldest first.</summary>
    Task<IReadOnlyList<AuditEntry>> AuditAsync(string key, CancellationToken cancellationToken = default);
}
