using Rampart.Core.Audit;

namespace Rampart.Core.Rollouts;

/// <summary>Persistence of experiments, their range-table history and their audit log.</summary>
public interface IExperimentStore
{
    /// <summary>Stores a new experiment with its creation audit entry.</summary>
    /// <exception cref="ExperimentConflictException">when an experiment with the key already exists.</exception>
    /// <exception cref="ArgumentException">when <paramref name="audit"/> is not about <paramref name="experiment"/>.</exception>
    Task CreateAsync(Experiment experiment, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>The experiment with <paramref name="key"/>, or null.</summary>
    /// <exception cref="UnreadableExperimentException">when the experiment is stored but its row cannot be read.</exception>
    Task<Experiment?> FindAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every stored experiment that can be read, by key, and every one whose row cannot be read, named with why: one damaged
    /// row never hides the others.
    /// </summary>
    Task<ExperimentListResult> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores the next version of an experiment (its <see cref="Experiment.Version"/> one above the stored one) with its
    /// audit entry, in one transaction.
    /// </summary>
    /// <exception cref="ExperimentConflictException">when another change got there first (the stored version is not one below).</exception>
    /// <exception cref="ExperimentNotFoundException">when no experiment with the key is stored.</exception>
    /// <exception cref="ArgumentException">when <paramref name="audit"/> is not about <paramref name="experiment"/>.</exception>
    Task UpdateAsync(Experiment experiment, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>The audit log of <paramref name="key"/>, oldest first.</summary>
    Task<IReadOnlyList<AuditEntry>> AuditAsync(string key, CancellationToken cancellationToken = default);
}
