using Rampart.Core.Allocation;
using Rampart.Core.Experiments;

namespace Rampart.Core.Tests.Experiments;

public sealed class ShadowFormatTests
{
    private const string Head = """
        {"key":"k","control":"control","variants":{"control":{"provider":"sim","model":"m"},"variant_a":{"provider":"sim","model":"m"},"variant_b":{"provider":"sim","model":"m"}},
        """;

    private const string Ramp = """{"weights":{"control":80,"variant_a":10,"variant_b":10}}""";

    [Fact]
    public void Parse_IssueExample_AShadowStageServingTheControlThenTheRamp()
    {
        var sut = WithStages("""
            [{"shadow":{"variants":["variant_a","variant_b"],"sample_rate":0.1,"max_cost_usd_per_day":20},"min_duration":"1d"},RAMP]
            """);

        var shadow = sut.Stages[0];
        Assert.True(shadow.IsShadow);
        Assert.Equal(new ShadowStage(["variant_a", "variant_b"], 0.1, 20), shadow.Shadow, ShadowEquality.Instance);
        Assert.Equal(TimeSpan.FromDays(1), shadow.MinDuration);
        Assert.Equal([Weight.All, Weight.Zero, Weight.Zero], shadow.Weights);
        Assert.False(sut.Stages[1].IsShadow);
    }

    [Fact]
    public void Parse_ShadowWithOnlyItsVariants_TakesTheDefaults()
    {
        var sut = WithStages("""
            [{"shadow":{"variants":["variant_b"]}},RAMP]
            """);

        Assert.Equal((0.1, (double?)null), (sut.Stages[0].Shadow!.SampleRate, sut.Stages[0].Shadow!.MaxCostUsdPerDay));
        Assert.True(sut.Stages[0].Shadow!.Shadows("variant_b"));
        Assert.False(sut.Stages[0].Shadow!.Shadows("variant_a"));
    }

    [Fact]
    public void WriteThenParse_ShadowStage_RoundTrips()
    {
        var original = WithStages("""
            [{"shadow":{"variants":["variant_b","variant_a"],"sample_rate":0.25,"max_cost_usd_per_day":3.5},"min_duration":"12h"},RAMP]
            """);

        var json = ExperimentDefinitionJson.Write(original);
        var copy = ExperimentDefinitionJson.Parse(json);

        Assert.Contains("\"shadow\"", json, StringComparison.Ordinal);
        Assert.Equal(original.Stages[0].Shadow, copy.Stages[0].Shadow, ShadowEquality.Instance);
        Assert.Equal(original.Stages[0].Weights, copy.Stages[0].Weights);
        Assert.Equal(json, ExperimentDefinitionJson.Write(copy));
    }

    [Theory]
    [InlineData("""[{"shadow":{"variants":["variant_a"]}}]""", "stages: a shadow stage must be followed by a stage that serves the variants (give their weights in stages[1])")]
    [InlineData("""[RAMP,{"shadow":{"variants":["variant_a"]}}]""", "stages[1].shadow: only the first stage may be a shadow stage (it comes before any user is served a variant)")]
    [InlineData("""[{"shadow":{"variants":["variant_a"]},"weights":{"control":100,"variant_a":0,"variant_b":0}},RAMP]""", "stages[0].weights: a shadow stage serves every unit the control; leave its weights out")]
    [InlineData("""[{"shadow":{"variants":[]}},RAMP]""", "stages[0].shadow.variants is required: a non-empty JSON array of the variants to call in shadow")]
    [InlineData("""[{"shadow":{}},RAMP]""", "stages[0].shadow.variants is required: a non-empty JSON array of the variants to call in shadow")]
    [InlineData("""[{"shadow":{"variants":["variant_z"]}},RAMP]""", "stages[0].shadow.variants[0]: 'variant_z' is not one of the variants (control, variant_a, variant_b)")]
    [InlineData("""[{"shadow":{"variants":["control"]}},RAMP]""", "stages[0].shadow.variants[0]: 'control' is the control, which serves every unit in a shadow stage; list the variants to test")]
    [InlineData("""[{"shadow":{"variants":["variant_a","variant_a"]}},RAMP]""", "stages[0].shadow.variants[1]: 'variant_a' is listed twice")]
    [InlineData("""[{"shadow":{"variants":[7]}},RAMP]""", "stages[0].shadow.variants[0] must be a variant's name")]
    [InlineData("""[{"shadow":{"variants":["variant_a"],"sample_rate":0}},RAMP]""", "stages[0].shadow.sample_rate must be a number above 0 to 1")]
    [InlineData("""[{"shadow":{"variants":["variant_a"],"sample_rate":1.5}},RAMP]""", "stages[0].shadow.sample_rate must be a number above 0 to 1")]
    [InlineData("""[{"shadow":{"variants":["variant_a"],"max_cost_usd_per_day":-1}},RAMP]""", "stages[0].shadow.max_cost_usd_per_day must be a number from 0 to 1000000")]
    [InlineData("""[{"shadow":{"variants":["variant_a"],"rate":0.5}},RAMP]""", "stages[0].shadow.rate")]
    [InlineData("""[{"shadow":["variant_a"]},RAMP]""", "stages[0].shadow")]
    public void Parse_BadShadowStage_NamesTheField(string stages, string problem)
    {
        var ex = Assert.Throws<ExperimentValidationException>(() =>
            ExperimentDefinitionJson.Parse(Head + "\"stages\":" + stages.Replace("RAMP", Ramp, StringComparison.Ordinal) + "}"));

        Assert.Contains(ex.Problems, p => p.StartsWith(problem, StringComparison.Ordinal));
    }

    private static ExperimentDefinition WithStages(string stages) =>
        ExperimentDefinitionJson.Parse(Head + "\"stages\":" + stages.Trim().Replace("RAMP", Ramp, StringComparison.Ordinal) + "}");

    // ShadowStage holds an ImmutableArray, which records compare by reference.
    private sealed class ShadowEquality : IEqualityComparer<ShadowStage?>
    {
        public static readonly ShadowEquality Instance = new();

        public bool Equals(ShadowStage? x, ShadowStage? y) =>
            x is not null && y is not null && x.Variants.SequenceEqual(y.Variants) && x.SampleRate == y.SampleRate && x.MaxCostUsdPerDay == y.MaxCostUsdPerDay;

        public int GetHashCode(ShadowStage? obj) => 0;
    }
}
