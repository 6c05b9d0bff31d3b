using Rampart.Core.Audit;
using Rampart.Core.Rollouts;

namespace Rampart.Storage.Tests.Contracts;

/// <summary>
/// A store whose reads wait at a shared <see cref="Rendezvous"/> before returning, so racing commands are sure to read
/// the same version and then write at the same time.
/// </summary>
public sealed class GatedExperimentStore(IExperimentStore inner, Rendezvous gate) : IExperimentStore
{
    public async Task<Experiment?> FindAsync(string key, CancellationToken cancellationToken = default)
    {
        var experiment = await inner.FindAsync(key, cancellationToken);
        await gate.ArriveAsync().WaitAsync(cancellationToken);
        return experiment;
    }

    public Task CreateAsync(Experiment experiment, AuditEntry audit, CancellationToken cancellationToken = default) =>
        inner.CreateAsync(experiment, audit, cancellationToken);

    public Task<ExperimentListResult> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);

    public Task UpdateAsync(Experiment experiment, AuditEntry audit, CancellationToken cancellationToken = default) =>
        inner.UpdateAsync(experiment, audit, cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> AuditAsync(string key, CancellationToken cancellationToken = default) =>
        inner.AuditAsync(key, cancellationToken);
}
