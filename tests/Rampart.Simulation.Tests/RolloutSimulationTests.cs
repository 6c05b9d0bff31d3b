using System.Text.Json.Nodes;
using Rampart.Analysis.Monitoring;
using Rampart.Core.Audit;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;
using Rampart.Llm.Providers;
using Rampart.Llm.Providers.Simulated;

namespace Rampart.Simulation.Tests;

public sealed class RolloutSimulationTests
{
    [Fact]
    public void Step_PricedModel_CompletionsCarryTheirCostAsTheGatewayWould_FailuresNone()
    {
        var definition = ExperimentDefinitionJson.Parse("""
            { "key": "priced", "control": "control",
              "variants": { "control": { "provider": "sim", "model": "gpt-4", "params": { "sim": { "error_rate": 0.2, "prompt_tokens": 120, "completion_tokens": 80 } } },
                            "variant": { "provider": "sim", "model": "sim-small" } },
              "stages": [ { "weights": { "control": 50, "variant": 50 } } ] }
            """);
        var sut = new RolloutSimulation(new SimulationScenario { Definition = definition, UsersPerStep = 50, Seed = 3 });

        var completions = sut.Step().Where(e => e.Type == Core.Events.EventType.Completion).ToList();

        // gpt-4 at $0.03 / $0.06 per 1K tokens: 120 × 0.03/1000 + 80 × 0.06/1000 = 0.0084 (docs/pricing.md); sim-small has no price.
        Assert.Contains(completions, e => e.Variant == "control" && e.Error is null);
        Assert.Contains(completions, e => e.Variant == "control" && e.Error is not null);
        Assert.All(completions.Where(e => e.Variant == "control"), e => Assert.Equal(e.Error is null ? 0.0084 : null, e.CostUsd));
        Assert.All(completions.Where(e => e.Variant == "variant"), e => Assert.Null(e.CostUsd));
    }

    [Fact]
    public void BetterVariant_AutoMode_AdvancedThroughEveryStageAndPromotedByTheMonitor()
    {
        var definition = Scenarios.TwoVariants(
            Scenarios.Sim(satisfaction: 0.78), Scenarios.Sim(satisfaction: 0.86),
            stages: """
                [ { "weights": { "control": 80, "variant": 20 }, "min_duration": "1d" },
                  { "weights": { "control": 50, "variant": 50 }, "min_duration": "1d" },
                  { "weights": { "control": 20, "variant": 80 }, "min_duration": "1d" } ]
                """,
            advance: "auto");

        var results = Runs.Each(Runs.Count(8), seed => new RolloutSimulation(new SimulationScenario
        {
            Definition = definition, Seed = seed, UsersPerStep = 5, RequestsPerUser = 3, Duration = TimeSpan.FromDays(10),
        }).Run());

        Assert.All(results, result =>
        {
            Assert.Equal((ExperimentState.Completed, "variant"), (result.Experiment.State, result.Experiment.Winner));
            var byMonitor = result.Audit.Where(a => a.Who == MonitorChanges.Who).ToList();
            Assert.Equal([AuditAction.Advance, AuditAction.Advance, AuditAction.Promote], byMonitor.Select(a => a.Action));
            Assert.All(byMonitor, a => Assert.True(a.Metrics["p_value_sequential_holm"] < 0.05));
            Assert.True(byMonitor[0].Ts >= new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero), "advanced before min_duration");
            Assert.DoesNotContain(result.Actions, a => a.Action.Kind is MonitorActionKind.SrmHold or MonitorActionKind.Rollback);
        });
    }

    [Fact]
    public void Rollback_ByTheMonitor_ReassignsOnlyTheRolledBackVariantsUnits()
    {
        var definition = ExperimentDefinitionJson.Parse("""
            { "key": "sim-three", "control": "control",
              "variants": {
                "control":   { "provider": "sim", "model": "m", "params": { "sim": { "error_rate": 0.01 } } },
                "variant_a": { "provider": "sim", "model": "m", "params": { "sim": { "error_rate": 0.01 } } },
                "variant_b": { "provider": "sim", "model": "m", "params": { "sim": { "error_rate": 0.25 } } } },
              "stages": [ { "weights": { "control": 60, "variant_a": 20, "variant_b": 20 } } ] }
            """);
        var sim = new RolloutSimulation(new SimulationScenario { Definition = definition, UsersPerStep = 10, Seed = 7 });
        var probes = Enumerable.Range(0, 20_000).Select(i => $"probe-{i}").ToArray();
        MonitorDecision decision;
        do
        {
            sim.Step();
            decision = sim.Decide();
        }
        while (!sim.Finished && decision.Actions.Count == 0);

        var before = Assign(sim.Experiment, probes);
        sim.Apply(decision);
        var after = Assign(sim.Experiment, probes);

        Assert.Equal("variant_b", Assert.Single(decision.Actions).Variant);
        Assert.True(sim.Experiment.IsRolledBack("variant_b"));
        Assert.Contains(before, v => v == "variant_b");
        for (var i = 0; i < probes.Length; i++)
        {
            Assert.Equal(before[i] == "variant_b" ? "control" : before[i], after[i]);
        }
    }

    [Fact]
    public async Task Outcomes_AreTheSimulatedProvidersAnswersForTheSameSeed()
    {
        var provider = new SimulatedProvider();
        var sim = new SimulationOptions { ErrorRate = 0.3, Satisfaction = 0.6, LatencyMsMedian = 500 };
        for (ulong seed = 1; seed <= 200; seed++)
        {
            var answer = await provider.SendAsync(new ChatCall(new JsonObject { ["model"] = "m" }, false, TimeSpan.Zero, seed, sim), new NullWriter(), default);
            var draw = SimulatedDraw.Make(seed, sim);

            Assert.Equal(draw.Failed, answer.StatusCode != 200);
            Assert.Equal(draw.LatencyMs, answer.SimulatedLatencyMs);
            Assert.Equal(draw.Failed ? null : draw.Satisfied, answer.SimulatedSatisfied);
        }
    }

    [Fact]
    public void Run_SameSeed_SameEventsAndActions()
    {
        SimulationScenario Scenario() => new()
        {
            Definition = Scenarios.TwoVariants(Scenarios.Sim(), Scenarios.Sim(errorRate: 0.2)), Seed = 42, UsersPerStep = 5,
            Duration = TimeSpan.FromHours(3),
        };

        var first = new RolloutSimulation(Scenario()).Run();
        var second = new RolloutSimulation(Scenario()).Run();

        Assert.Equal(first.Requests, second.Requests);
        Assert.Equal(first.Actions.Select(a => (a.At, a.Action.Reason)), second.Actions.Select(a => (a.At, a.Action.Reason)));
        Assert.NotNull(first.FirstRollback);
    }

    private static string[] Assign(Experiment experiment, string[] units)
    {
        var assigner = new ExperimentAssigner(experiment);
        return [.. units.Select(u => assigner.Assign(u).Variant.Name)];
    }

    private sealed class NullWriter : IChatResponseWriter
    {
        public bool HasStarted { get; private set; }

        public ValueTask StartAsync(int statusCode, string contentType, CancellationToken cancellationToken)
        {
            HasStarted = true;
            return ValueTask.CompletedTask;
        }

        public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
