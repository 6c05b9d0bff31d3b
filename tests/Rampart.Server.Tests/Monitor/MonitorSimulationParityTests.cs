using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Rampart.Analysis.Monitoring;
using Rampart.Core.Alerts;
using Rampart.Core.Audit;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;
using Rampart.Server.Monitor;
using Rampart.Simulation;
using Rampart.Storage.Sqlite;
using Rampart.Testing;

namespace Rampart.Server.Tests.Monitor;

/// <summary>The server's monitor and a simulation kept in a store act through the same actuator: the same decision leaves the same trace.</summary>
public sealed class MonitorSimulationParityTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task CheckExperiment_EventsOfASimulationDecidingARollback_SameAuditEntryAndAlertAsTheSimulation()
    {
        var definition = ExperimentDefinitionJson.Parse("""
            { "key": "monitor-parity", "control": "control",
              "variants": {
                "control": { "provider": "sim", "model": "sim-small", "params": { "sim": { "error_rate": 0.01 } } },
                "variant": { "provider": "sim", "model": "sim-small", "params": { "sim": { "error_rate": 0.3 } } } },
              "stages": [ { "weights": { "control": 50, "variant": 50 } } ] }
            """);
        var time = new FakeTimeProvider(Start);
        var monitorAlerts = new CapturingAlertSink();
        await using var sut = await TestHost.StartAsync(services: s =>
        {
            s.AddSingleton<TimeProvider>(time);
            s.AddSingleton<IAlertSink>(monitorAlerts);
        });
        using var folder = new TempDirectory();
        var simulationStore = new SqliteExperimentStore(new SqliteDatabase(folder.File("simulation.db")));
        var started = await StartAsync(definition, sut.Experiments, simulationStore);
        var simulation = new RolloutSimulation(new SimulationScenario { Definition = definition, Start = Start, UsersPerStep = 10, Seed = 5 }, started);
        var simulationAlerts = new CapturingAlertSink();

        // The same events reach the simulation's signals and the server's event store, up to the check that rolls back.
        MonitorDecision decision;
        var stored = 0;
        do
        {
            var events = simulation.Step();
            await sut.Events.AppendAsync([.. events.Select(e => e with { Id = $"parity:{stored++}" })]);
            decision = simulation.Decide(explain: false);
        }
        while (!decision.Actions.Any(a => a.Kind == MonitorActionKind.Rollback) && !simulation.Finished);

        time.SetUtcNow(simulation.Now);
        var simulated = await simulation.ApplyAsync(decision, simulation.Actuator(simulationStore, simulationAlerts));
        await sut.Services.GetRequiredService<RolloutMonitor>().CheckExperimentAsync(definition.Key);

        Assert.Equal("variant", Assert.Single(simulated).Action.Variant);
        var expected = Assert.Single(await simulationStore.AuditAsync(definition.Key), a => a.Action == AuditAction.Rollback);
        var actual = Assert.Single(await sut.Experiments.AuditAsync(definition.Key), a => a.Action == AuditAction.Rollback);
        Assert.Equal((expected.Who, expected.Ts, expected.Variant, expected.Reason), (actual.Who, actual.Ts, actual.Variant, actual.Reason));
        Assert.Equal(expected.Metrics, actual.Metrics);
        var expectedAlert = Assert.Single(simulationAlerts.Alerts);
        var actualAlert = Assert.Single(monitorAlerts.Alerts);
        Assert.Equal(expectedAlert with { Metrics = actualAlert.Metrics }, actualAlert);
        Assert.Equal(expectedAlert.Metrics, actualAlert.Metrics);
    }

    private static async Task<Experiment> StartAsync(ExperimentDefinition definition, params IExperimentStore[] stores)
    {
        var draft = Experiment.CreateDraft(definition, Start);
        var started = Rollout.Start(draft, Start, "test");
        foreach (var store in stores)
        {
            await store.CreateAsync(draft, Rollout.Created(draft, "test"));
            await store.UpdateAsync(started.Experiment, started.Audit);
        }

        return started.Experiment;
    }
}
