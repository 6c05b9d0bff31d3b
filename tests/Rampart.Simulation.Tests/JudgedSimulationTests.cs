using System.Globalization;
using Rampart.Analysis;
using Rampart.Analysis.Aggregation;
using Rampart.Analysis.Monitoring;
using Rampart.Core.Events;
using Rampart.Core.Experiments;

namespace Rampart.Simulation.Tests;

/// <summary>A simulation judges as the server does (docs/judges.md): sampled, budgeted verdicts that the quality guardrail reads.</summary>
public sealed class JudgedSimulationTests
{
    [Fact]
    public void Step_JudgeSamplesAQuarter_VerdictsOnAboutAQuarterOfTheSuccessfulCallsEachTheJudgeEvent()
    {
        var sut = new RolloutSimulation(new SimulationScenario { Definition = Judged(control: 0.8, variant: 0.8, sampleRate: 0.25), UsersPerStep = 200, Seed = 11 });

        var events = Enumerable.Range(0, 10).SelectMany(_ => sut.Step()).ToList();

        var successes = events.Where(e => e.Type == EventType.Completion && e.Error is null).ToDictionary(e => e.RequestId!);
        var verdicts = events.Where(e => e.Source == JudgeDefinition.Source).ToList();
        // About 6,000 successful calls: a quarter is 1,500 ± 3·√(6000·0.25·0.75) = ± 101.
        var share = (double)verdicts.Count / successes.Count;
        Assert.InRange(share, 0.25 - (3 * Math.Sqrt(0.25 * 0.75 / successes.Count)), 0.25 + (3 * Math.Sqrt(0.25 * 0.75 / successes.Count)));
        Assert.All(verdicts, v =>
        {
            var call = successes[v.RequestId!];
            Assert.Equal((EventType.Feedback, "judge_helpfulness", call.Variant, call.Unit, "gpt-4o-mini"), (v.Type, v.Score, v.Variant, v.Unit, v.Model));
            Assert.Equal($"judge_helpfulness:{call.RequestId}", v.Id);
            Assert.Contains(v.Value!.Value, new[] { 0, 0.25, 0.5, 0.75, 1 });
            // gpt-4o-mini at $0.15 / $0.60 per 1M tokens: 400 × 0.15e-6 + 40 × 0.6e-6 = 0.000084 (docs/pricing.md).
            Assert.Equal(0.000084, v.CostUsd!.Value, 1e-12);
        });
        var failed = events.Where(e => e.Type == EventType.Completion && e.Error is not null).Select(e => e.RequestId).ToHashSet();
        Assert.NotEmpty(failed);
        Assert.DoesNotContain(verdicts, v => failed.Contains(v.RequestId));
    }

    [Fact]
    public void Run_BudgetSpent_JudgingStopsForTheDayCountedAndResumesTheNextDay()
    {
        // 0.000084 a verdict: a $0.01 cap allows 120 verdicts a day (the one that crosses it is kept).
        var definition = Judged(control: 0.8, variant: 0.8, sampleRate: 1, maxCostPerDay: 0.01);
        var sut = new RolloutSimulation(new SimulationScenario { Definition = definition, UsersPerStep = 20, Seed = 5, Duration = TimeSpan.FromDays(2) });

        var verdicts = new List<ExperimentEvent>();
        while (!sut.Finished)
        {
            verdicts.AddRange(sut.Step().Where(e => e.Source == JudgeDefinition.Source));
        }

        var perDay = verdicts.GroupBy(v => v.Ts.UtcDateTime.Date).Select(g => g.Count()).ToList();
        Assert.Equal([120, 120], perDay);
        Assert.True(sut.JudgementsOverBudget > 1000, $"{sut.JudgementsOverBudget} skipped");
    }

    [Fact]
    public void Run_VariantTenPointsWorse_RolledBackByTheQualityGuardrail_EqualVariantsNever()
    {
        var worse = Runs.Each(Runs.Count(6), seed => new RolloutSimulation(new SimulationScenario
        {
            Definition = Judged(control: 0.8, variant: 0.7, sampleRate: 0.5), Seed = seed, UsersPerStep = 10, Duration = TimeSpan.FromDays(3), StopAtRollback = true,
        }).Run());
        var equal = Runs.Each(Runs.Count(6), seed => new RolloutSimulation(new SimulationScenario
        {
            Definition = Judged(control: 0.8, variant: 0.8, sampleRate: 0.5), Seed = seed, UsersPerStep = 10, Duration = TimeSpan.FromDays(3), StopAtRollback = true,
        }).Run());

        Assert.All(worse, r =>
        {
            var rollback = Assert.IsType<SimulatedAction>(r.FirstRollback);
            Assert.Equal("variant", rollback.Action.Variant);
            Assert.StartsWith("guardrail: variant's judge_helpfulness", rollback.Action.Reason, StringComparison.Ordinal);
        });
        Assert.All(equal, r => Assert.Null(r.FirstRollback));
    }

    [Fact]
    public void Run_JudgeAgreement06_PeopleAndTheJudgeCorrelate_WithoutIt_TheyDoNot()
    {
        double Correlation(double agreement)
        {
            var sut = new RolloutSimulation(new SimulationScenario
            {
                Definition = Judged(control: 0.8, variant: 0.8, sampleRate: 1), UsersPerStep = 100, Seed = 9, JudgeAgreement = agreement,
            });
            var aggregate = new ExperimentAggregate("sim-test");
            var position = 0L;
            for (var i = 0; i < 20; i++)
            {
                foreach (var e in sut.Step())
                {
                    aggregate.Add(e, ++position);
                }
            }

            var calibration = Assert.Single(ExperimentAnalyzer.Analyze(aggregate).Judges!).Calibration;
            Assert.True(calibration.N > 5000, $"{calibration.N} pairs");
            return calibration.Correlation!.Value;
        }

        // The thumbs-up (78%) and the 1–5 rating (σ 0.15 around 0.8) are coarse views of latent normals correlated by 0.6,
        // so their correlation is well below 0.6 but far from 0; independent draws give 0 ± 3/√n.
        Assert.InRange(Correlation(0.6), 0.25, 0.6);
        Assert.InRange(Correlation(0), -0.04, 0.04);
    }

    [Fact]
    public void Run_SameSeed_SameVerdicts()
    {
        IReadOnlyList<ExperimentEvent> Verdicts() =>
            [.. new RolloutSimulation(new SimulationScenario { Definition = Judged(control: 0.8, variant: 0.6, sampleRate: 0.3), UsersPerStep = 30, Seed = 21 })
                .Step().Where(e => e.Source == JudgeDefinition.Source)];

        Assert.Equal(Verdicts(), Verdicts());
        Assert.NotEmpty(Verdicts());
    }

    private static ExperimentDefinition Judged(double control, double variant, double sampleRate, double? maxCostPerDay = null) =>
        Scenarios.TwoVariants(
            string.Create(CultureInfo.InvariantCulture, $$"""{ "quality": {{control}} }"""),
            string.Create(CultureInfo.InvariantCulture, $$"""{ "quality": {{variant}} }"""),
            extra: string.Create(CultureInfo.InvariantCulture, $$"""
                , "judges": [ { "name": "helpfulness", "provider": "sim", "model": "gpt-4o-mini", "sample_rate": {{sampleRate}}{{(maxCostPerDay is { } cap ? ", \"max_cost_usd_per_day\": " + cap.ToString(CultureInfo.InvariantCulture) : "")}} } ],
                "guardrails": { "min_score": { "judge_helpfulness": { "max_drop": 0.05 } } }
                """));
}
