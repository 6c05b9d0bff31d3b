using System.Text.Json.Nodes;
using Rampart.Analysis.Results;

namespace Rampart.Analysis.Tests.Results;

public sealed class ResultsJsonTests
{
    [Fact]
    public void Serialize_Document_HasExactlyTheDesignShape()
    {
        var document = JsonNode.Parse(ResultsJson.Serialize(Document()))!.AsObject();

        Assert.Equal(["experiment", "control", "srm", "variants", "recommendation"], Keys(document));
        Assert.Equal(["p_value", "mismatch", "expected_weights", "observed_units", "stages"], Keys(document["srm"]!));
        var variants = document["variants"]!.AsArray();
        var control = variants[0]!.AsObject();
        Assert.Equal(["name", "units", "requests", "errors", "error_rate", "latency_ms", "cost_usd", "tokens", "scores"], Keys(control));
        var variant = variants[1]!.AsObject();
        Assert.Equal([.. Keys(control), "vs_control"], Keys(variant));
        Assert.Equal(["mean", "p50", "p95", "p99"], Keys(variant["latency_ms"]!));
        Assert.Equal(["mean", "total"], Keys(variant["cost_usd"]!));
        Assert.Equal(["prompt", "completion", "total"], Keys(variant["tokens"]!));
        Assert.Equal(["n", "mean"], Keys(variant["scores"]!["user_satisfaction"]!));
        Assert.Equal(["user_satisfaction", "error_rate", "latency_ms", "cost_usd"], Keys(variant["vs_control"]!));
        Assert.Equal(
            ["test", "diff", "lift", "p_value", "p_value_holm", "p_value_clustered", "p_value_clustered_holm", "p_value_sequential", "p_value_sequential_holm", "ci95"],
            Keys(variant["vs_control"]!["latency_ms"]!));
        Assert.Equal(
            ["z", "z", "welch", "welch"],
            variant["vs_control"]!.AsObject().Select(m => (string?)m.Value!["test"]));
        Assert.Equal(2, variant["vs_control"]!["latency_ms"]!["ci95"]!.AsArray().Count);
        Assert.Equal(["action", "variant", "reasons", "details", "outcome"], Keys(document["recommendation"]!));
        Assert.Equal("continue", (string?)document["recommendation"]!["action"]);
    }

    [Fact]
    public void Serialize_MissingValues_WrittenAsNull()
    {
        var json = ResultsJson.Serialize(Document(), indented: false);

        Assert.Contains("\"variant\":null", json, StringComparison.Ordinal);
        Assert.Contains("\"lift\":null", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SerializedDocument_RoundTrips()
    {
        var document = Document();

        var sut = ResultsJson.Parse(ResultsJson.Serialize(document));

        Assert.Equal(ResultsJson.Serialize(document), ResultsJson.Serialize(sut));
        Assert.Null(sut.Variants[0].VsControl);
        Assert.Equal(RecommendedAction.Continue, sut.Recommendation.Action);
    }

    private static ResultsDocument Document()
    {
        var lines = new EventLines();
        for (var i = 0; i < 6; i++)
        {
            lines.Exposure("control", $"c{i}").Completion("control", $"c{i}", 900 + (10 * i), $"rc{i}", error: null).Feedback("control", $"c{i}", i % 2, $"rc{i}")
                .Exposure("variant_a", $"a{i}").Completion("variant_a", $"a{i}", 950 + (7 * i), $"ra{i}", error: i == 0 ? "boom" : null).Feedback("variant_a", $"a{i}", 1, $"ra{i}");
        }

        return ExperimentAnalyzer.Analyze(lines.Aggregate());
    }

    private static List<string> Keys(JsonNode node) => [.. node.AsObject().Select(p => p.Key)];
}
