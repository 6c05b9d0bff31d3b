using System.Text.Json.Nodes;
using Rampart.Analysis.Aggregation;
using Rampart.Analysis.Results;

namespace Rampart.Analysis.Tests;

public sealed class ExperimentAnalyzerTests
{
    private static readonly AnalysisOptions ThreeVariants = new() { Variants = ["control", "variant_a", "variant_b"] };

    public static TheoryData<string> EdgeCases => [.. Cases().Keys];

    [Theory]
    [MemberData(nameof(EdgeCases))]
    public void Analyze_EdgeCase_NoNonFiniteValueAndEveryNullHasAReason(string name)
    {
        var (lines, options) = Cases()[name];

        var sut = ExperimentAnalyzer.Analyze(lines.Aggregate(), options);

        var json = ResultsJson.Serialize(sut);
        Assert.DoesNotContain("NaN", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", json, StringComparison.Ordinal);
        AssertEveryNullExplained(JsonNode.Parse(json)!, sut.Recommendation.All());
    }

    [Fact]
    public void Analyze_VariantWithoutEvents_ReportedWithZerosAndNulls()
    {
        var lines = new EventLines().Exposure("control", "u1").Completion("control", "u1", 100).Exposure("variant_a", "u2").Completion("variant_a", "u2", 120);

        var sut = ExperimentAnalyzer.Analyze(lines.Aggregate(), ThreeVariants);

        var b = sut.Variants[2];
        Assert.Equal(("variant_b", 0L, 0L, (double?)null), (b.Name, b.Units, b.Requests, b.ErrorRate));
        Assert.Equal(new LatencyResult(null, null, null, null), b.LatencyMs);
        Assert.Equal(new CostResult(null, 0), b.CostUsd);
        Assert.Null(b.VsControl!["latency_ms"].Diff);
        Assert.Contains("variant_b has no completions, so error_rate, latency_ms and cost_usd.mean are null.", sut.Recommendation.All());
    }

    [Fact]
    public void Analyze_ControlWithoutErrors_LiftOfErrorRateIsNullWithReason()
    {
        var lines = new EventLines();
        for (var i = 0; i < 20; i++)
        {
            lines.Completion("control", $"c{i}", 100 + i).Completion("variant_a", $"a{i}", 100 + i, error: i % 4 == 0 ? "boom" : null);
        }

        var sut = ExperimentAnalyzer.Analyze(lines.Aggregate());

        var errorRate = sut.Variants[1].VsControl!["error_rate"];
        Assert.Equal(0.25, errorRate.Diff);
        Assert.Null(errorRate.Lift);
        Assert.NotNull(errorRate.PValue);
        Assert.Contains("variant_a vs control on error_rate: lift is null: the control's mean is 0.", sut.Recommendation.All());
    }

    [Fact]
    public void Analyze_NoErrorsInEitherVariant_ErrorRateIntervalHasWidthWithoutPValue()
    {
        var lines = new EventLines();
        for (var i = 0; i < 20; i++)
        {
            lines.Completion("control", $"c{i}", 100 + i).Completion("variant_a", $"a{i}", 100 + i);
        }

        var sut = ExperimentAnalyzer.Analyze(lines.Aggregate());

        var errorRate = sut.Variants[1].VsControl!["error_rate"];
        Assert.Null(errorRate.PValue);
        // statsmodels.stats.proportion.confint_proportions_2indep(0, 20, 0, 20, method='newcomb', compare='diff')
        Assert.Equal([-0.1611251580528194, 0.1611251580528194], errorRate.Ci95!, (a, b) => Math.Abs(a - b) <= 1e-6 * Math.Abs(b));
        Assert.Contains("variant_a vs control on error_rate: p_value and p_value_holm are null: no successes in either group.", sut.Recommendation.All());
    }

    [Fact]
    public void Analyze_ScoreWithOnlyBinaryValues_UsesTwoProportionTestOtherwiseWelchAndSaysWhich()
    {
        var binary = new EventLines().Feedback("control", "u1", 1).Feedback("control", "u2", 0).Feedback("variant_a", "u3", 1).Feedback("variant_a", "u4", 1);
        var rated = new EventLines().Feedback("control", "u1", 1).Feedback("control", "u2", 0).Feedback("variant_a", "u3", 1).Feedback("variant_a", "u4", 0.5);

        var proportion = ExperimentAnalyzer.Analyze(binary.Aggregate()).Variants[1].VsControl!["user_satisfaction"];
        var welch = ExperimentAnalyzer.Analyze(rated.Aggregate()).Variants[1].VsControl!["user_satisfaction"];

        // scipy.stats.chi2_contingency([[2, 0], [1, 1]], correction=False)[1] -> 0.24821307898992026
        Assert.Equal(0.24821307898992026, proportion.PValue!.Value, 4);
        Assert.Equal(ComparisonTest.TwoProportionZ, proportion.Test);
        // scipy.stats.ttest_ind([1, .5], [1, 0], equal_var=False).pvalue -> 0.7117227912336698
        Assert.Equal(0.7117227912336698, welch.PValue!.Value, 4);
        Assert.Equal(ComparisonTest.Welch, welch.Test);
    }

    [Fact]
    public void Analyze_AaFileWithThreeUnitsPerVariant_ClusteredAndSequentialNullWithReason()
    {
        var sut = ExperimentAnalyzer.Analyze(AaFile(3, 3).Aggregate());

        foreach (var (metric, c) in sut.Variants[1].VsControl!)
        {
            Assert.NotNull(c.PValue);
            Assert.Equal((null, null, null), (c.PValueClustered, c.PValueClusteredHolm, c.PValueSequential));
            Assert.Contains(
                $"variant_a vs control on {metric}: p_value_clustered, p_value_clustered_holm, p_value_sequential and p_value_sequential_holm are null: " +
                $"fewer than 50 units per variant (the control has 3, the variant 3).",
                sut.Recommendation.All());
        }
    }

    [Theory]
    [InlineData(49, 50, false)]
    [InlineData(50, 49, false)]
    [InlineData(50, 50, true)]
    public void Analyze_UnitsAroundTheMinimum_ClusteredAndSequentialFromFiftyPerVariant(int controlUnits, int variantUnits, bool present)
    {
        var sut = ExperimentAnalyzer.Analyze(AaFile(controlUnits, variantUnits).Aggregate());

        Assert.All(sut.Variants[1].VsControl!.Values, c =>
        {
            Assert.Equal(present, c.PValueClustered is not null);
            Assert.Equal(present, c.PValueClusteredHolm is not null);
            Assert.Equal(present, c.PValueSequential is not null);
        });
        Assert.Equal(!present, sut.Recommendation.All().Any(r => r.Contains("fewer than 50 units per variant", StringComparison.Ordinal)));
    }

    [Fact]
    public void Analyze_UnknownControl_ThrowsNamingVariants()
    {
        var lines = new EventLines().Exposure("a", "u1").Exposure("b", "u2");

        var error = Assert.Throws<AnalysisException>(() => ExperimentAnalyzer.Analyze(lines.Aggregate(), new AnalysisOptions { Control = "ctl" }));

        Assert.Equal("The control 'ctl' is not a variant of 'prompt-opt-v2'; the variants are a, b.", error.Message);
    }

    [Fact]
    public void Analyze_EventsOfUnlistedVariant_Throws()
    {
        var lines = new EventLines().Exposure("control", "u1").Exposure("variant_q", "u2");

        var error = Assert.Throws<AnalysisException>(() => ExperimentAnalyzer.Analyze(lines.Aggregate(), ThreeVariants));

        Assert.StartsWith("Variant 'variant_q' of 'prompt-opt-v2' has events but is not among the variants given", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("error_rate")]
    [InlineData("latency_ms")]
    public void Analyze_PrimaryScoreNamedLikeAMetric_Throws(string score)
    {
        Assert.Throws<AnalysisException>(() => ExperimentAnalyzer.Analyze(new ExperimentAggregate("e"), new AnalysisOptions { PrimaryScore = score, Variants = ["control"] }));
    }

    [Fact]
    public void Analyze_ControlListedLater_ComesFirst()
    {
        var lines = new EventLines().Exposure("variant_a", "u1").Exposure("control", "u2");

        var sut = ExperimentAnalyzer.Analyze(lines.Aggregate());

        Assert.Equal(["control", "variant_a"], sut.Variants.Select(v => v.Name));
        Assert.Equal(50, sut.Srm.ExpectedWeights["variant_a"]);
    }

    // An A/A file: every unit sends 4 requests, a few failing, each rated 0 or 1; the values vary from unit to unit by one
    // pattern whichever the variant.
    private static EventLines AaFile(int controlUnits, int variantUnits)
    {
        var lines = new EventLines();
        var i = 0;
        foreach (var (variant, units) in new[] { ("control", controlUnits), ("variant_a", variantUnits) })
        {
            for (var u = 0; u < units; u++, i++)
            {
                lines.Exposure(variant, $"u{i}");
                for (var j = 0; j < 4; j++)
                {
                    var request = $"r{i}-{j}";
                    lines.Completion(variant, $"u{i}", 800 + ((37 * ((7 * i) + (3 * j))) % 400), request, cost: 0.01 + (0.001 * ((i + (2 * j)) % 5)), error: (i + j) % 7 == 0 ? "boom" : null)
                        .Feedback(variant, $"u{i}", ((i * i) + j) % 3 == 0 ? 0 : 1, request);
                }
            }
        }

        return lines;
    }

    private static Dictionary<string, (EventLines Lines, AnalysisOptions Options)> Cases()
    {
        var oneObservation = new EventLines().Exposure("control", "u1").Completion("control", "u1", 100, "r1").Feedback("control", "u1", 1, "r1")
            .Exposure("variant_a", "u2").Completion("variant_a", "u2", 120, "r2").Feedback("variant_a", "u2", 0, "r2");
        var identical = new EventLines();
        var noFeedback = new EventLines();
        for (var i = 0; i < 10; i++)
        {
            identical.Completion("control", $"c{i}", 1000, $"rc{i}").Feedback("control", $"c{i}", 1, $"rc{i}")
                .Completion("variant_a", $"a{i}", 1000, $"ra{i}").Feedback("variant_a", $"a{i}", 1, $"ra{i}");
            noFeedback.Exposure("control", $"c{i}").Completion("control", $"c{i}", 900 + i, cost: null)
                .Exposure("variant_a", $"a{i}").Completion("variant_a", $"a{i}", 950 + i, error: "boom");
        }

        return new()
        {
            ["a variant with no events"] = (new EventLines().Exposure("control", "u1").Completion("control", "u1", 100), ThreeVariants),
            ["no events at all"] = (new EventLines(), ThreeVariants),
            ["no feedback, no cost, only failures"] = (noFeedback, new AnalysisOptions()),
            ["one observation per variant"] = (oneObservation, new AnalysisOptions()),
            ["identical values, zero variance"] = (identical, new AnalysisOptions()),
            ["only the control"] = (new EventLines().Exposure("control", "u1").Completion("control", "u1", 100), new AnalysisOptions()),
            ["zero expected weight with units"] = (oneObservation, new AnalysisOptions { Variants = ["control", "variant_a"], Weights = [100, 0] }),
        };
    }

    private static void AssertEveryNullExplained(JsonNode document, IReadOnlyList<string> reasons)
    {
        if (document["srm"]!["p_value"] is null)
        {
            Assert.Contains(reasons, r => r.StartsWith("srm.p_value is null", StringComparison.Ordinal));
        }

        foreach (var variant in document["variants"]!.AsArray())
        {
            var name = (string)variant!["name"]!;
            if (variant["error_rate"] is null || variant["latency_ms"]!["mean"] is null || variant["cost_usd"]!["mean"] is null)
            {
                Assert.Contains(reasons, r => r.StartsWith(name + " has no", StringComparison.Ordinal));
            }

            foreach (var (score, result) in variant["scores"]!.AsObject())
            {
                if (result!["mean"] is null)
                {
                    Assert.Contains($"{name} has no {score} feedback, so its mean is null.", reasons);
                }
            }

            foreach (var (metric, comparison) in variant["vs_control"]?.AsObject() ?? [])
            {
                foreach (var (field, value) in comparison!.AsObject())
                {
                    if (value is null)
                    {
                        var prefix = $"{name} vs control on {metric}: ";
                        Assert.Contains(reasons, r => r.StartsWith(prefix, StringComparison.Ordinal) && r.Contains(field, StringComparison.Ordinal));
                    }
                }
            }
        }
    }
}
