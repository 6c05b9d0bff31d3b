using BenchmarkDotNet.Attributes;
using Rampart.Analysis.Monitoring;
using Rampart.Core.Experiments;
using Rampart.Simulation;

namespace Rampart.Benchmarks.Monitoring;

/// <summary>
/// The monitor's cost: one check (<see cref="MonitorEngine.Evaluate"/>) of a three-variant experiment after a simulated
/// day of traffic, and one whole simulated A/A week (one user a minute, checked every minute) as the simulation tests run it.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[ShortRunJob]
public class MonitorBenchmark
{
    private RolloutSimulation day = null!;

    [GlobalSetup]
    public void Setup()
    {
        day = new RolloutSimulation(new SimulationScenario { Definition = Definition("""{"control":80,"variant_a":10,"variant_b":10}""", "auto", 3), UsersPerStep = 10, Duration = TimeSpan.FromDays(1) });
        while (!day.Finished)
        {
            day.Step();
        }
    }

    /// <summary>One check after a day (14,400 users, ~43,000 requests): guardrails, sample ratio, promotion criteria.</summary>
    [Benchmark]
    public MonitorDecision CheckAfterADay() => day.Decide(explain: false);

    /// <summary>A simulated week of A/A traffic (~20,000 requests) with a check every simulated minute (10,080 checks).</summary>
    [Benchmark]
    public SimulationResult AaWeek() => new RolloutSimulation(new SimulationScenario
    {
        Definition = Definition("""{"control":50,"variant_a":50}""", "auto", 2), UsersPerStep = 1, RequestsPerUser = 2, Seed = 7,
    }).Run();

    private static ExperimentDefinition Definition(string weights, string advance, int variants) => ExperimentDefinitionJson.Parse($$"""
        { "key": "bench", "control": "control",
          "variants": { "control": { "provider": "sim", "model": "m" }, "variant_a": { "provider": "sim", "model": "m" }
                        {{(variants == 3 ? """, "variant_b": { "provider": "sim", "model": "m" }""" : "")}} },
          "stages": [ { "weights": {{weights}} } ], "advance": "{{advance}}" }
        """);
}
