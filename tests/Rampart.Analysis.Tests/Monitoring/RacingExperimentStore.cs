using Rampart.Core.Audit;
using Rampart.Core.Rollouts;

namespace Rampart.Analysis.Tests.Monitoring;

/// <summary>
/// One experiment and its audit trail in memory, writes checked against the version read; <see cref="Racer"/>, when set,
/// lands a change of its own just before the next write (which then conflicts), as another writer would; before each of the
/// next <see cref="Races"/> writes (one by default).
/// </summary>
public sealed class RacingExperimentStore(Experiment experiment) : IExperimentStore
{
    private readonly List<AuditEntry> audit = [];

    public Experiment Experiment { get; private set; } = experiment;

    public Func<Experiment, RolloutChange>? Racer { get; set; }

    public int Races { get; set; } = 1;

    public Task CreateAsync(Experiment experiment, AuditEntry audit, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<Experiment?> FindAsync(string key, CancellationToken cancellationToken = default) =>
        Task.FromResult(key == Experiment.Key ? Experiment : null);

    public Task<ExperimentListResult> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new ExperimentListResult([Experiment]));

    public Task UpdateAsync(Experiment experiment, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        if (Racer is { } racer)
        {
            if (--Races <= 0)
            {
                Racer = null;
            }

            Store(racer(Experiment));
        }

        if (experiment.Version != Experiment.Version + 1)
        {
            throw new ExperimentConflictException($"'{experiment.Key}' is at version {Experiment.Version}.");
        }

        Store(new RolloutChange(experiment, audit));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AuditEntry>> AuditAsync(string key, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<AuditEntry>>([.. audit]);

    private void Store(RolloutChange change)
    {
        Experiment = change.Experiment;
        audit.Add(change.Audit);
    }
}
