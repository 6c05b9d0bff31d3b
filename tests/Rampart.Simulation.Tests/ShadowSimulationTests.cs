using System.Globalization;
using Rampart.Core.Events;
using Rampart.Core.Experiments;

namespace Rampart.Simulation.Tests;

/// <summary>A simulation's shadow stage calls the shadow variants as the gateway does (docs/shadow.md), and the monitor gates on the pairs.</summary>
public sealed class ShadowSimulationTests
{
    [Fact]
    public void Step_ShadowStageAtHalf_EachShadowCallPairsWithAServedCallMarkedWithItsId_NobodyServedTheVariant()
    {
        var sut = new RolloutSimulation(new SimulationScenario { Definition = Shadowed(variantErrors: 0.01, sampleRate: 0.5), UsersPerStep = 100, Seed = 3 });

        var events = Enumerable.Range(0, 5).SelectMany(_ => sut.Step()).ToList();

        var served = events.Where(e => e.Type == EventType.Completion && !e.Shadow).ToList();
        var shadows = events.Where(e => e.Type == EventType.Completion && e.Shadow).ToList();
        Assert.All(served, e => Assert.Equal("control", e.Variant));
        Assert.Equal(0, sut.RequestsOf("variant"));
        Assert.Equal(shadows.Count, sut.ShadowCallsOf("variant"));
        var marked = served.Where(e => e.PairId is not null).ToDictionary(e => e.PairId!);
        Assert.All(marked, m => Assert.Equal(m.Value.RequestId, m.Key));
        Assert.All(shadows, s =>
        {
            var pair = marked[s.PairId!];
            Assert.Equal(("variant", pair.Unit, pair.Stage), (s.Variant, s.Unit, s.Stage));
            Assert.NotEqual(pair.RequestId, s.RequestId);
        });
        Assert.Equal(marked.Count, shadows.Count);
        var share = (double)shadows.Count / served.Count;
        Assert.InRange(share, 0.5 - (3 * Math.Sqrt(0.25 / served.Count)), 0.5 + (3 * Math.Sqrt(0.25 / served.Count)));
        // Both answers of every successful pair are judged (the judge samples 10% of served answers on its own).
        var verdicts = events.Where(e => e.Source == JudgeDefinition.Source && e.Score == "judge_quality").ToList();
        Assert.Equal(shadows.Count(s => s.Error is null), verdicts.Count(v => v.Shadow));
        Assert.All(verdicts.Where(v => v.Shadow), v => Assert.Equal("variant", v.Variant));
        // And one preference per pair whose two answers succeeded, in the shadow's favour (1), the served one's (0) or a tie.
        var preferences = events.Where(e => e.Score == "judge_quality_preference").ToList();
        var bothSucceeded = shadows.Count(s => s.Error is null && marked[s.PairId!].Error is null);
        Assert.Equal(bothSucceeded, preferences.Count);
        Assert.All(preferences, p => Assert.True(p.Shadow && marked.ContainsKey(p.PairId!) && p.Value is 0 or 0.5 or 1));
    }

    [Fact]
    public void Run_ShadowVariantFailing12Percent_RolledBackInShadowBeforeServingAnyone()
    {
        var results = Runs.Each(Runs.Count(4), seed => new RolloutSimulation(new SimulationScenario
        {
            Definition = Shadowed(variantErrors: 0.12, sampleRate: 0.2), Seed = seed, UsersPerStep = 20, Duration = TimeSpan.FromDays(3), StopAtRollback = true,
        }).Run());

        Assert.All(results, r =>
        {
            var rollback = Assert.IsType<SimulatedAction>(r.FirstRollback);
            Assert.StartsWith("shadow: guardrail: variant's error rate", rollback.Action.Reason, StringComparison.Ordinal);
            Assert.Equal(0, r.Requests["variant"]);
        });
    }

    [Fact]
    public void Run_HealthyShadowVariant_PassesTheGateAfterTheShadowDayAndThenServes()
    {
        var sut = new RolloutSimulation(new SimulationScenario
        {
            Definition = Shadowed(variantErrors: 0.005, sampleRate: 0.2), Seed = 8, UsersPerStep = 20, Duration = TimeSpan.FromDays(2),
        });

        var result = sut.Run();

        var advance = Assert.Single(result.Audit, a => a.Action == Core.Audit.AuditAction.Advance);
        Assert.StartsWith("auto: stage 1 ran 1d", advance.Reason, StringComparison.Ordinal);
        Assert.Contains("every shadow variant passed the paired gate", advance.Reason, StringComparison.Ordinal);
        Assert.True(result.Requests["variant"] > 0);
        Assert.Null(result.FirstRollback);
    }

    [Fact]
    public void Step_ShadowBudgetSpent_NoMoreShadowCallsThatDayAndNoUnpairedMarks()
    {
        // sim-small has no price: use gpt-4o-mini ($0.15 / $0.60 per 1M tokens) with 1,000 / 1,000 tokens: $0.00075 a call, so a $0.007 cap allows 10 calls (the one that crosses it is made).
        var definition = Shadowed(variantErrors: 0, sampleRate: 1, maxCost: 0.007, model: "gpt-4o-mini");
        var sut = new RolloutSimulation(new SimulationScenario { Definition = definition, UsersPerStep = 30, Seed = 4 });

        var events = Enumerable.Range(0, 6).SelectMany(_ => sut.Step()).ToList();

        Assert.Equal(10, events.Count(e => e.Type == EventType.Completion && e.Shadow));
        Assert.Equal(10, events.Count(e => e.Type == EventType.Completion && !e.Shadow && e.PairId is not null));
        Assert.True(sut.ShadowCallsOverBudget > 100, $"{sut.ShadowCallsOverBudget} skipped");
    }

    [Fact]
    public void Step_ShadowBudgetSpent_ResumesOnTheNextSimulatedUtcDay()
    {
        // $0.00075 a call against a $0.007 cap: 10 shadow calls a day, the day's count kept per simulated UTC date.
        var definition = Shadowed(variantErrors: 0, sampleRate: 1, maxCost: 0.007, model: "gpt-4o-mini");
        var sut = new RolloutSimulation(new SimulationScenario { Definition = definition, UsersPerStep = 30, Seed = 4, Step = TimeSpan.FromHours(6) });

        var events = Enumerable.Range(0, 8).SelectMany(_ => sut.Step()).Where(e => e.Type == EventType.Completion && e.Shadow).ToList();

        Assert.Equal([10, 10], events.GroupBy(e => e.Ts.UtcDateTime.Date).Select(g => g.Count()));
    }

    [Fact]
    public void Step_RequestSigma_ShadowAnswerSharesTheServedRequestsFactor()
    {
        // No per-call part: each answer's latency is its median times the request's factor, the same for both answers of a pair.
        var definition = ExperimentDefinitionJson.Parse("""
            { "key": "sim-request-sigma", "control": "control",
              "variants": {
                "control": { "provider": "sim", "model": "sim-small", "params": { "sim": { "error_rate": 0, "latency_sigma": 0, "request_sigma": 0.8 } } },
                "variant": { "provider": "sim", "model": "sim-small", "params": { "sim": { "error_rate": 0, "latency_sigma": 0, "request_sigma": 0.8, "latency_ms_median": 960 } } } },
              "stages": [ { "shadow": { "variants": ["variant"], "sample_rate": 0.5 }, "min_duration": "1d" },
                          { "weights": { "control": 50, "variant": 50 } } ] }
            """);
        var sut = new RolloutSimulation(new SimulationScenario { Definition = definition, UsersPerStep = 50, Seed = 5 });

        var events = Enumerable.Range(0, 3).SelectMany(_ => sut.Step()).Where(e => e.Type == EventType.Completion).ToList();

        var served = events.Where(e => !e.Shadow).ToDictionary(e => e.RequestId!);
        var shadows = events.Where(e => e.Shadow).ToList();
        Assert.True(shadows.Count > 20, $"{shadows.Count} shadow calls");
        Assert.True(served.Values.Select(e => e.LatencyMs).Distinct().Count() > served.Count / 2, "each request draws its own factor");
        Assert.All(shadows, s => Assert.Equal(1.2, s.LatencyMs!.Value / served[s.PairId!].LatencyMs!.Value, 9));
    }

    private static ExperimentDefinition Shadowed(double variantErrors, double sampleRate, double? maxCost = null, string model = "sim-small")
    {
        var cap = maxCost is { } c ? ", \"max_cost_usd_per_day\": " + c.ToString(CultureInfo.InvariantCulture) : "";
        return ExperimentDefinitionJson.Parse(string.Create(CultureInfo.InvariantCulture, $$"""
            { "key": "sim-shadow", "control": "control",
              "variants": {
                "control": { "provider": "sim", "model": "sim-small", "params": { "sim": { "error_rate": 0.01, "latency_ms_median": 800 } } },
                "variant": { "provider": "sim", "model": "{{model}}", "params": { "sim": { "error_rate": {{variantErrors}}, "latency_ms_median": 800, "prompt_tokens": 1000, "completion_tokens": 1000 } } } },
              "stages": [ { "shadow": { "variants": ["variant"], "sample_rate": {{sampleRate}}{{cap}} }, "min_duration": "1d" },
                          { "weights": { "control": 50, "variant": 50 } } ],
              "advance": "auto",
              "judges": [ { "name": "quality", "provider": "sim", "model": "sim-small" } ] }
            """));
    }
}
