using System.Collections.Concurrent;
using Rampart.Core.Audit;
using Rampart.Core.Rollouts;

namespace Rampart.Llm.Tests.Fakes;

/// <summary>Experiments in a dictionary, counting reads; <see cref="Failing"/> makes reads throw.</summary>
public sealed class InMemoryExperimentStore : IExperimentStore
{
    private readonly ConcurrentDictionary<string, Experiment> experiments = new(StringComparer.Ordinal);
    private int finds;

    public InMemoryExperimentStore(params Experiment[] experiments)
    {
        foreach (var experiment in experiments)
        {
            Put(experiment);
        }
    }

    public int Finds => Volatile.Read(ref finds);

    public bool Failing { get; set; }

    public void Put(Experiment experiment) => experiments[experiment.Key] = experiment;

    public Task<Experiment?> FindAsync(string key, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref finds);
        if (Failing)
        {
            throw new IOException("The store is down.");
        }

        return Task.FromResult(experiments.TryGetValue(key, out var experiment) ? experiment : null);
    }

    public Task CreateAsync(Experiment experiment, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        Put(experiment);
        return Task.CompletedTask;
    }

    public Task<ExperimentListResult> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new ExperimentListResult([.. experiments.Values.OrderBy(e => e.Key, StringComparer.Ordinal)]));

    public Task UpdateAsync(Experiment experiment, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        Put(experiment);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AuditEntry>> AuditAsync(string key, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<AuditEntry>>([]);
}
