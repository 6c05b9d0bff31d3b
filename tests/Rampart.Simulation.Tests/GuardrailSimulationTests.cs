using System.Globalization;
using Rampart.Analysis.Monitoring;

namespace Rampart.Simulation.Tests;

/// <summary>(b), (c): failing and slow variants are rolled back within a bounded number of their requests; a late jump is caught by the restarted tests.</summary>
public sealed class GuardrailSimulationTests(ITestOutputHelper output)
{
    [Fact]
    public void ErrorRate10PercentFromStart_RolledBackWithin1000OfItsRequestsIn99PercentOfRuns()
    {
        var runs = Runs.Count(200);
        var requests = Runs.Each(runs, seed => RollbackAt(seed, Scenarios.Sim(errorRate: 0.10), []));

        Report("10% errors from the start (control 1%)", requests);
        Assert.True(requests.Count(r => r <= 1000) >= runs * 99 / 100, "fewer than 99% of runs rolled back within 1,000 requests");
    }

    [Fact]
    public void P95TimesTwoFromStart_RolledBackWithin1000OfItsRequestsIn99PercentOfRuns()
    {
        var runs = Runs.Count(200);
        var requests = Runs.Each(runs, seed => RollbackAt(seed, Scenarios.Sim(), [new SimulatedFault("variant", LatencyFactor: 2)]));

        Report("latency × 2 from the start", requests);
        Assert.True(requests.Count(r => r <= 1000) >= runs * 99 / 100, "fewer than 99% of runs rolled back within 1,000 requests");
    }

    [Fact]
    public void ErrorRateJumpsAfter2000Requests_RolledBackSoonAfterTheJump_FasterThanTheWholeHistoryTestAlone()
    {
        var runs = Runs.Count(100);
        var jump = new SimulatedFault("variant", AfterRequests: 2000, ErrorRate: 0.10);
        var restarted = Runs.Each(runs, seed => AfterJump(seed, jump, GuardrailTuning.Default));
        var wholeOnly = Runs.Each(runs, seed => AfterJump(seed, jump, new GuardrailTuning(WholeHistoryShare: 1, RestartEvery: int.MaxValue)));

        Report("after a jump 1% → 10% at request 2,000, restarted tests", restarted);
        Report("after the same jump, the whole-history test alone", wholeOnly);
        Assert.All(restarted, r => Assert.True(r >= 0, "rolled back before the jump"));
        Assert.True(restarted.Count(r => r <= 1500) >= runs * 99 / 100, "fewer than 99% of runs rolled back within 1,500 requests of the jump");
        Assert.True(Scenarios.Quantile(restarted, 0.5) < Scenarios.Quantile(wholeOnly, 0.5) * 0.7, "the restarts should react clearly faster");
    }

    private static double RollbackAt(ulong seed, string variantSim, SimulatedFault[] faults)
    {
        var result = new RolloutSimulation(Scenario(seed, variantSim, faults, GuardrailTuning.Default)).Run();
        return result.FirstRollback is { } rollback && rollback.Action.Variant == "variant" ? rollback.VariantRequests : double.PositiveInfinity;
    }

    private static double AfterJump(ulong seed, SimulatedFault jump, GuardrailTuning tuning)
    {
        var result = new RolloutSimulation(Scenario(seed, Scenarios.Sim(), [jump], tuning)).Run();
        return result.FirstRollback is { } rollback ? rollback.VariantRequests - jump.AfterRequests!.Value : double.PositiveInfinity;
    }

    private static SimulationScenario Scenario(ulong seed, string variantSim, SimulatedFault[] faults, GuardrailTuning tuning) => new()
    {
        Definition = Scenarios.TwoVariants(Scenarios.Sim(), variantSim),
        Seed = seed, UsersPerStep = 10, RequestsPerUser = 3, Duration = TimeSpan.FromDays(2), StopAtRollback = true,
        Faults = [.. faults], Tuning = tuning,
    };

    private void Report(string what, double[] requests)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: rolled back in {requests.Count(double.IsFinite)} of {requests.Length} runs; requests median {Scenarios.Quantile(requests, 0.5):0}, " +
            $"p99 {Scenarios.Quantile(requests, 0.99):0}, max {requests.Max():0}"));
    }
}
