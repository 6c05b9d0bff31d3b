using System.Text;
using MathNet.Numerics.Distributions;
using Rampart.Analysis.Aggregation;
using Rampart.Analysis.Results;
using Rampart.Core.Events;

namespace Rampart.Analysis.Tests.Results;

public sealed class JudgeResultsTests
{
    [Fact]
    public void Analyze_JudgeFeedback_ReportsTheJudgeWithItsOwnCostKeptOutOfTheVariantsCost()
    {
        var lines = Judged(60, judgeCost: 0.002);

        var sut = ExperimentAnalyzer.Analyze(lines.Aggregate());

        Assert.Equal(60 * 0.01, sut.Variants[0].CostUsd.Total, 12);
        Assert.Equal(0.01, sut.Variants[0].CostUsd.Mean!.Value, 12);
        var judge = Assert.Single(sut.Judges!);
        Assert.Equal(("helpfulness", "judge_helpfulness", "judge-2"), (judge.Name, judge.Score, judge.Model));
        Assert.Equal(60 * 0.002, judge.Variants["control"].CostUsd, 12);
        Assert.Equal(60, judge.Variants["variant_a"].N);
        Assert.Equal(sut.Variants[1].Scores["judge_helpfulness"].Mean, judge.Variants["variant_a"].Mean);
        Assert.NotNull(sut.Variants[1].VsControl!["judge_helpfulness"].PValueClustered);
        Assert.Equal(("user_satisfaction", 120L), (judge.Calibration.Against, judge.Calibration.N));
        Assert.NotNull(judge.Calibration.Correlation);
    }

    [Fact]
    public void Analyze_MoreScoreNamesThanListed_ListsTheMostFedAndCountsTheRest()
    {
        // Clients name their scores: before, every name sent was listed in every variant and every judge-sourced one was
        // analysed as a judge, so one client could make each results document (and the dashboard) as large as it liked.
        var lines = new EventLines().Completion("control", "u0", 100, "r0").Completion("variant_a", "u1", 100, "r1").Feedback("control", "u0", 1, "r0");
        for (var i = 0; i < 40; i++)
        {
            for (var k = 0; k <= (i == 39 ? 2 : i % 3); k++)
            {
                lines.Feedback("variant_a", $"u{i}-{k}", 1, $"s{i}-{k}", score: $"score_{i:00}");
            }

            lines.JudgeFeedback("control", $"j{i}", 0.5, $"j{i}", score: $"judge_{i:00}");
        }

        var sut = ExperimentAnalyzer.Analyze(lines.Aggregate());
        var json = ResultsJson.Serialize(sut);

        // 80 others beside the primary (judge feedback is a score too), 31 listed: the 14 fed three times (i % 3 == 2, and
        // score_39), the 13 fed twice, then by name 4 of those fed once (judge_00 to judge_03); in the order first seen.
        var listed = sut.Variants[1].Scores.Keys.ToList();
        Assert.Equal(ExperimentAnalyzer.MaxListedScores, listed.Count);
        Assert.Equal("user_satisfaction", listed[0]);
        Assert.Equal(["judge_00", "judge_01", "judge_02", "judge_03", "score_01", "score_02"], listed.Skip(1).Take(6));
        Assert.Contains("score_39", listed);
        Assert.DoesNotContain("score_00", listed);
        Assert.DoesNotContain("judge_04", listed);
        Assert.Equal(listed.Skip(1).Order(StringComparer.Ordinal), listed.Skip(1));
        Assert.Equal(49, sut.UnlistedScores);
        Assert.Contains("\"unlisted_scores\": 49", json, StringComparison.Ordinal);
        Assert.Equal([.. Enumerable.Range(0, 16).Select(i => $"judge_{i:00}")], sut.Judges!.Select(j => j.Score));
        Assert.Equal(24, sut.UnlistedJudgeScores);
        Assert.Contains("\"unlisted_judge_scores\": 24", json, StringComparison.Ordinal);
        Assert.Equal((49, 24), (ResultsJson.Parse(json).UnlistedScores, ResultsJson.Parse(json).UnlistedJudgeScores));
    }

    [Fact]
    public void Analyze_NoJudges_NoJudgesBlockInTheJson()
    {
        var lines = new EventLines().Completion("control", "u1", 100, "r1").Feedback("control", "u1", 1, "r1").Completion("variant_a", "u2", 100, "r2");

        var sut = ExperimentAnalyzer.Analyze(lines.Aggregate());

        Assert.Null(sut.Judges);
        Assert.DoesNotContain("\"judges\"", ResultsJson.Serialize(sut), StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_FileAndStoredEvents_GiveTheSameDocument()
    {
        // The file path reads with the fast scanners (a line in another field order and one with an escaped model take the
        // slower parsers); the stored path adds Core's parsed events one by one.
        var lines = Judged(30, judgeCost: 0.003)
            .Raw("""{"source":"judge","type":"feedback","experiment":"prompt-opt-v2","variant":"control","unit":"cz","ts":"2026-11-02T00:00:00Z","request_id":"rz","score":"judge_helpfulness","value":0.25,"model":"judge-3","cost_usd":0.004}""")
            .Raw("""{"type":"feedback","experiment":"prompt-opt-v2","variant":"control","unit":"cz","ts":"2026-11-02T00:00:01Z","request_id":"ry","score":"judge_helpfulness","value":0.75,"source":"judge","model":"judge-\u0034","cost_usd":0.004}""");
        var stored = new ExperimentAggregate("prompt-opt-v2");
        var n = 0;
        foreach (var line in lines.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            n++;
            stored.Add(EventLineParser.Parse(Encoding.UTF8.GetBytes(line), n), n);
        }

        var fromFile = ResultsJson.Serialize(ExperimentAnalyzer.Analyze(lines.Aggregate()));
        var fromStore = ResultsJson.Serialize(ExperimentAnalyzer.Analyze(stored));

        Assert.Equal(fromStore, fromFile);
        Assert.Contains("\"model\": \"judge-4\"", fromFile, StringComparison.Ordinal);
        Assert.Equal(fromFile, ResultsJson.Serialize(ResultsJson.Parse(fromFile)));
    }

    [Fact]
    public void Analyze_FewPairs_CalibrationNullWithAReason()
    {
        var sut = ExperimentAnalyzer.Analyze(Judged(4, judgeCost: 0.002).Aggregate());

        var calibration = Assert.Single(sut.Judges!).Calibration;
        Assert.Equal((8L, (double?)null, (double?)null), (calibration.N, calibration.Correlation, calibration.Kappa));
        Assert.Equal("8 requests have both user_satisfaction and judge_helpfulness; calibration needs at least 10", calibration.Reason);
    }

    [Fact]
    public void Analyze_JudgeGivesOneValue_CorrelationNullWithAReasonAndKappaZero()
    {
        var lines = new EventLines();
        for (var i = 0; i < 20; i++)
        {
            lines.Completion("control", $"u{i}", 100, $"r{i}").Feedback("control", $"u{i}", i % 2, $"r{i}").JudgeFeedback("control", $"u{i}", 1, $"r{i}");
        }

        var calibration = Assert.Single(ExperimentAnalyzer.Analyze(lines.Aggregate()).Judges!).Calibration;

        Assert.Null(calibration.Correlation);
        // sklearn.metrics.cohen_kappa_score([0, 1] * 10, [1] * 20) → 0.0
        Assert.Equal(0, calibration.Kappa);
        Assert.Equal(0.5, calibration.Agreement);
        Assert.Equal("correlation: judge_helpfulness has the same value on every paired request", calibration.Reason);
    }

    [Fact]
    public void Analyze_JudgeGivesANeutralThreeWhenPeopleSayNo_TheThreeIsNotAPositiveVerdict()
    {
        // On a 1–5 scale a 3 is 0.5 once normalised: the midpoint, which counts as negative (top-two box), so a judge that gives
        // 4 where people say yes and 3 where they say no agrees with them every time.
        var lines = new EventLines();
        for (var i = 0; i < 20; i++)
        {
            lines.Completion("control", $"u{i}", 100, $"r{i}").Feedback("control", $"u{i}", i % 2, $"r{i}").JudgeFeedback("control", $"u{i}", i % 2 == 1 ? 0.75 : 0.5, $"r{i}");
        }

        var calibration = Assert.Single(ExperimentAnalyzer.Analyze(lines.Aggregate()).Judges!).Calibration;

        // sklearn.metrics.cohen_kappa_score([0, 1] * 10, [0, 1] * 10) → 1.0
        Assert.Equal((1.0, 1.0), (calibration.Kappa, calibration.Agreement));
    }

    [Fact]
    public void Analyze_JudgeWritesToThePrimaryScore_ThoseRequestsLeftOutOfCalibrationOnBothPaths()
    {
        // A judge's later verdict on user_satisfaction for 5 requests wins there, but it is not a person's score.
        var lines = Judged(20, judgeCost: 0.002);
        for (var i = 0; i < 5; i++)
        {
            lines.JudgeFeedback("control", $"control-u{i}", 1, $"control-r{i}", score: "user_satisfaction");
        }

        var stored = new ExperimentAggregate("prompt-opt-v2");
        var n = 0;
        foreach (var line in lines.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            n++;
            stored.Add(EventLineParser.Parse(Encoding.UTF8.GetBytes(line), n), n);
        }

        var fromFile = ExperimentAnalyzer.Analyze(lines.Aggregate());
        var fromStore = ExperimentAnalyzer.Analyze(stored);

        Assert.Equal(35, Assert.Single(fromFile.Judges!).Calibration.N);
        Assert.Equal(ResultsJson.Serialize(fromStore), ResultsJson.Serialize(fromFile));
    }

    [Fact]
    public void Calibration_LatentCorrelation06_ReportedFiguresWithinThreeStandardErrorsOfTheKnownValues()
    {
        // (x, y) bivariate normal with ρ = 0.6; people score Φ(x), the judge Φ(y), both uniform on (0, 1). Then Pearson's r of the
        // scores is (6/π)·asin(ρ/2) = 0.5825 (Spearman's ρ of a bivariate normal), and with both binarised at 0.5 (x ≥ 0, y ≥ 0)
        // the agreement is ½ + asin(ρ)/π and κ = 2·asin(ρ)/π = 0.4097 (Sheppard's formula). n = 2,000: SE(r) ≈ (1 − r²)/√n ≈ 0.015,
        // SE(κ) ≈ 2·√(pₒ(1 − pₒ)/n) ≈ 0.021.
        const int n = 2_000;
        const double rho = 0.6;
        var random = new Random(20261206);
        var lines = new EventLines();
        for (var i = 0; i < n; i++)
        {
            var x = Normal.Sample(random, 0, 1);
            var y = (rho * x) + (Math.Sqrt(1 - (rho * rho)) * Normal.Sample(random, 0, 1));
            var variant = i % 2 == 0 ? "control" : "variant_a";
            lines.Feedback(variant, $"u{i / 3}", Normal.CDF(0, 1, x), $"r{i}").JudgeFeedback(variant, $"u{i / 3}", Normal.CDF(0, 1, y), $"r{i}");
        }

        var calibration = Assert.Single(ExperimentAnalyzer.Analyze(lines.Aggregate()).Judges!).Calibration;

        var r = 6 / Math.PI * Math.Asin(rho / 2);
        var kappa = 2 * Math.Asin(rho) / Math.PI;
        Assert.Equal(n, calibration.N);
        Assert.InRange(calibration.Correlation!.Value, r - (3 * 0.015), r + (3 * 0.015));
        Assert.InRange(calibration.Kappa!.Value, kappa - (3 * 0.021), kappa + (3 * 0.021));
        Assert.InRange(calibration.Agreement!.Value, 0.5 + (Math.Asin(rho) / Math.PI) - 0.033, 0.5 + (Math.Asin(rho) / Math.PI) + 0.033);
    }

    // Per variant, count units with one request each: a completion, the person's score and the judge's (the judge's model
    // changes half way, so the latest one is reported).
    private static EventLines Judged(int count, double judgeCost)
    {
        var lines = new EventLines();
        foreach (var variant in new[] { "control", "variant_a" })
        {
            for (var i = 0; i < count; i++)
            {
                var (unit, request) = ($"{variant}-u{i}", $"{variant}-r{i}");
                var human = (i % 5) / 4.0;
                lines.Completion(variant, unit, 100 + i, request)
                    .Feedback(variant, unit, human, request)
                    .JudgeFeedback(variant, unit, Math.Clamp(human + ((i % 3) - 1) * 0.25, 0, 1), request, model: i < count / 2 ? "judge-1" : "judge-2", cost: judgeCost);
            }
        }

        return lines;
    }
}
