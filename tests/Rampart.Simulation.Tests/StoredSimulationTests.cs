using Rampart.Analysis.Monitoring;
using Rampart.Core.Audit;
using Rampart.Core.Rollouts;
using Rampart.Storage.Sqlite;
using Rampart.Testing;

namespace Rampart.Simulation.Tests;

/// <summary>The demo's way: the experiment lives in a real SQLite store and the monitor's actions go through its RolloutActuator in simulated time.</summary>
public sealed class StoredSimulationTests
{
    [Fact]
    public async Task ApplyAsync_ThroughASqliteStore_RollsBackInTheStoreAtSimulatedTime()
    {
        using var folder = new TempDirectory();
        var store = new SqliteExperimentStore(new SqliteDatabase(folder.File("sim.db")));
        var scenario = new SimulationScenario
        {
            Definition = Scenarios.TwoVariants(Scenarios.Sim(), Scenarios.Sim(errorRate: 0.3)), UsersPerStep = 10, Seed = 5,
        };
        var draft = Experiment.CreateDraft(scenario.Definition, scenario.Start);
        await store.CreateAsync(draft, Rollout.Created(draft, "demo"));
        var started = Rollout.Start(draft, scenario.Start, "demo");
        await store.UpdateAsync(started.Experiment, started.Audit);
        var sut = new RolloutSimulation(scenario, started.Experiment);
        var alerts = new CapturingAlertSink();
        var actuator = sut.Actuator(store, alerts);

        while (!sut.Experiment.IsRolledBack("variant") && !sut.Finished)
        {
            sut.Step();
            await sut.ApplyAsync(sut.Decide(), actuator);
        }

        var stored = (await store.FindAsync(draft.Key))!;
        var rollback = Assert.Single(await store.AuditAsync(draft.Key), a => a.Action == AuditAction.Rollback);
        Assert.True(stored.IsRolledBack("variant"));
        Assert.Equal(stored.Version, sut.Experiment.Version);
        Assert.Equal((MonitorChanges.Who, sut.Now), (rollback.Who, rollback.Ts));
        Assert.Equal(sut.Result().FirstRollback!.Action.Metrics, rollback.Metrics);
        var alert = Assert.Single(alerts.Alerts);
        Assert.Equal(("rollback", "variant", sut.Now), (alert.Kind, alert.Variant, alert.Ts));
        Assert.Equal(rollback.Metrics, alert.Metrics);

        // A second rollback of the same variant, after a pause by hand, is dropped: no second audit entry.
        var manual = Rollout.Pause(stored, sut.Now, "admin");
        await store.UpdateAsync(manual.Experiment, manual.Audit);
        var dropped = await sut.ApplyAsync(new MonitorDecision([sut.Result().FirstRollback!.Action], []), actuator);
        Assert.Empty(dropped);
        Assert.Single(await store.AuditAsync(draft.Key), a => a.Action == AuditAction.Rollback);
        Assert.Single(alerts.Alerts);
    }
}
