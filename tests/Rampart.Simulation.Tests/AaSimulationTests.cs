using Rampart.Analysis.Monitoring;
using Rampart.Stats.Ratios;

namespace Rampart.Simulation.Tests;

/// <summary>(a) Two identical variants checked every simulated minute for a week: the monitor almost never acts, the naive rules often would.</summary>
public sealed class AaSimulationTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    [Fact]
    public void AaWeek_CheckedEveryMinute_FalseRollbackAtMost1PercentFalsePromotionAtMost5PercentAndNoSampleRatioHolds()
    {
        var runs = Runs.Count(200);
        var outcomes = Runs.Each(runs, Run);

        var rollbacks = outcomes.Count(o => o.Rollback);
        var promotions = outcomes.Count(o => o.Promotion);
        output.WriteLine(Runs.Share("monitor: false rollback", rollbacks, runs));
        output.WriteLine(Runs.Share("monitor: false promotion", promotions, runs));
        output.WriteLine(Runs.Share("monitor: sample-ratio hold", outcomes.Count(o => o.Srm), runs));
        output.WriteLine(Runs.Share("naive: the last minute's error rate above 5%", outcomes.Count(o => o.NaiveMinuteRollback), runs));
        output.WriteLine(Runs.Share("naive: error rate above 5% at a check (after 100 requests)", outcomes.Count(o => o.NaiveRollback), runs));
        output.WriteLine(Runs.Share("naive: fixed-horizon z-test of error rate > 5% significant at a check", outcomes.Count(o => o.NaiveTestRollback), runs));
        output.WriteLine(Runs.Share("naive: fixed-horizon clustered p < 0.05 with a higher score at a check", outcomes.Count(o => o.NaivePromotion), runs));
        Assert.True(rollbacks <= runs / 100, $"false rollbacks in {rollbacks} of {runs} runs");
        Assert.True(promotions <= runs * 5 / 100, $"false promotions in {promotions} of {runs} runs");
        Assert.True(outcomes.Count(o => o.Srm) <= runs / 100, "the always-valid sample-ratio test should almost never hold an A/A run");
        Assert.True(outcomes.Count(o => o.NaivePromotion) > promotions, "the naive rule should promote falsely more often than the monitor");
        Assert.True(outcomes.Count(o => o.NaiveMinuteRollback) > runs / 2, "a per-minute threshold should fire in most A/A weeks");
    }

    private static Outcome Run(ulong seed)
    {
        var scenario = new SimulationScenario
        {
            Definition = Scenarios.TwoVariants(Scenarios.Sim(), Scenarios.Sim(), advance: "auto"),
            Seed = seed, UsersPerStep = 1, RequestsPerUser = 2, Duration = Week,
        };
        var sim = new RolloutSimulation(scenario);
        var outcome = new Outcome();
        var options = scenario.Definition.Guardrails;
        var promotion = scenario.Definition.Promotion;
        long lastRequests = 0, lastErrors = 0;
        while (sim.Elapsed < Week)
        {
            sim.Step();

            // Decide but do not act: an A/A run continues the whole week, so every rule sees every minute.
            foreach (var action in sim.Decide(explain: false).Actions)
            {
                outcome.Rollback |= action.Kind == MonitorActionKind.Rollback;
                outcome.Promotion |= action.Kind == MonitorActionKind.Promote;
                outcome.Srm |= action.Kind == MonitorActionKind.SrmHold;
            }

            var variant = sim.Signals.Find("variant");
            var control = sim.Signals.Find("control");
            if (variant is not null && variant.Requests > lastRequests)
            {
                // The minute's own error rate against the threshold: what a per-minute alert rule does.
                outcome.NaiveMinuteRollback |= (double)(variant.Errors - lastErrors) / (variant.Requests - lastRequests) > options.MaxErrorRate;
                (lastRequests, lastErrors) = (variant.Requests, variant.Errors);
            }

            if (variant is null || control is null || variant.Requests < options.MinRequests)
            {
                continue;
            }

            var rate = (double)variant.Errors / variant.Requests;
            outcome.NaiveRollback |= rate > options.MaxErrorRate;
            var z = (rate - options.MaxErrorRate) / Math.Sqrt(options.MaxErrorRate * (1 - options.MaxErrorRate) / variant.Requests);
            outcome.NaiveTestRollback |= z > 1.6448536269514722;
            var score = variant.Score("user_satisfaction");
            var controlScore = control.Score("user_satisfaction");
            if (!outcome.NaivePromotion && score?.Mean > controlScore?.Mean && variant.Units(true) >= promotion.MinUnits)
            {
                outcome.NaivePromotion = DeltaMethodTest.Compare(controlScore!.PerUnit(), score!.PerUnit()).PValue < promotion.Alpha;
            }
        }

        return outcome;
    }

    private sealed class Outcome
    {
        public bool Rollback { get; set; }

        public bool Promotion { get; set; }

        public bool Srm { get; set; }

        public bool NaiveMinuteRollback { get; set; }

        public bool NaiveRollback { get; set; }

        public bool NaiveTestRollback { get; set; }

        public bool NaivePromotion { get; set; }
    }
}
