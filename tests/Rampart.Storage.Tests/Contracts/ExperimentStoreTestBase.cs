using Rampart.Core.Rollouts;
using Rampart.Testing;

namespace Rampart.Storage.Tests.Contracts;

/// <summary>
/// What the experiment store contracts share. A backend's test classes derive from the contracts and supply stores;
/// every store returned within one test shares that test's (empty at first) database.
/// </summary>
public abstract class ExperimentStoreTestBase
{
    /// <summary>Microsecond precision: the least a backend must keep.</summary>
    protected static readonly DateTimeOffset T0 = SeedExperiment.Epoch.AddTicks(1_234_560);

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A new store instance over this test's database (as another process would open it).</summary>
    protected abstract IExperimentStore CreateStore();

    protected static Experiment Draft(string key) => Experiment.CreateDraft(SeedExperiment.Definition(key), T0);

    /// <summary>Creates the seed experiment under <paramref name="key"/> and starts it; returns what should be stored.</summary>
    protected static async Task<Experiment> CreateRunningAsync(IExperimentStore store, string key)
    {
        var draft = Draft(key);
        await store.CreateAsync(draft, Rollout.Created(draft, "cli"), Ct);
        var start = Rollout.Start(draft, T0.AddMinutes(1), "cli");
        await store.UpdateAsync(start.Experiment, start.Audit, Ct);
        return start.Experiment;
    }
}
