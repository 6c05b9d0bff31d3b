using Rampart.Core.Allocation;
using Rampart.Core.Experiments;
using Rampart.Testing;

namespace Rampart.Core.Tests.Experiments;

public sealed class ExperimentDefinitionJsonTests
{
    [Fact]
    public void Parse_SeedExample_ReadsEveryField()
    {
        var sut = ExperimentDefinitionJson.Parse(SeedExperiment.Json);

        Assert.Equal(("prompt-opt-v2", "Prompt Optimization v2", "control"), (sut.Key, sut.Name, sut.Control));
        Assert.Equal(["control", "variant_a", "variant_b"], sut.VariantNames);
        Assert.Equal(new VariantConfig("openai", "gpt-4-turbo-preview", 0.7,
            "You are a helpful customer support agent. Be concise and professional."), sut.Variants[2].Config);
        Assert.Equal([6000, 2000, 2000], sut.Stages[1].Weights.Select(w => w.Buckets));
        Assert.Equal(TimeSpan.FromDays(7), sut.Stages[2].MinDuration);
        Assert.Equal(new PromotionOptions(0.05, 1000, 1.1, 1.2), sut.Promotion);
        Assert.Equal(new GuardrailOptions(0.05, 1.5, 100, TimeSpan.FromMinutes(1)), sut.Guardrails);
        Assert.Equal(("user_satisfaction", AdvanceMode.Manual, ContentLogging.Full, "prompt-opt-v2"), (sut.PrimaryScore, sut.Advance, sut.Logging, sut.Salt));
    }

    [Fact]
    public void Parse_OnlyRequiredFields_DefaultsAsDesignShows()
    {
        var sut = ExperimentDefinitionJson.Parse("""
            {"key":"k","control":"a","variants":{"a":{"provider":"sim","model":"m"},"b":{"provider":"sim","model":"m","params":{"sim":{"error_rate":0.1}}}},
             "stages":[{"weights":{"a":50.5,"b":49.5}}]}
            """);

        Assert.Equal(("k", AdvanceMode.Manual, "user_satisfaction"), (sut.Name, sut.Advance, sut.PrimaryScore));
        Assert.Equal(new GuardrailOptions(), sut.Guardrails);
        Assert.Equal(TimeSpan.FromMinutes(1), sut.Guardrails.CheckInterval);
        Assert.Equal(5050, sut.Stages[0].Weights[0].Buckets);
        Assert.Equal(0.1, sut.Variants[1].Config.Params!.Value.GetProperty("sim").GetProperty("error_rate").GetDouble());
    }

    // A variant's params are kept as given: a param given twice was stored twice, and half a surrogate pair failed when the
    // definition was written back (the store's write, after `rampart experiments create -f` had read the file as valid).
    [Theory]
    [InlineData("""{"sim":{"error_rate":0.1,"error_rate":0.2}}""", "variants.b.params.sim.error_rate is given twice")]
    [InlineData("""{"sim":{"note":"\ud800"}}""", "variants.b.params.sim.note holds a string with half a UTF-16 surrogate pair")]
    [InlineData("""{"list":[1,{"\udc00":1}]}""", "variants.b.params.list[1] holds a property name with half a UTF-16 surrogate pair")]
    public void Parse_ParamsGivingAPropertyTwiceOrHalfASurrogatePair_RefusedNamingItsPath(string parameters, string problem)
    {
        var ex = Assert.Throws<ExperimentValidationException>(() => ExperimentDefinitionJson.Parse($$$"""
            {"key":"k","control":"a","variants":{"a":{"provider":"sim","model":"m"},"b":{"provider":"sim","model":"m","params":{{{parameters}}}}},
             "stages":[{"weights":{"a":50,"b":50}}]}
            """));

        Assert.StartsWith(problem, Assert.Single(ex.Problems), StringComparison.Ordinal);
    }

    // Each is kept and used everywhere: the name is shown on every page, every assignment hashes the salt, every judged call
    // sends the rubric, and a primary score longer than a feedback score may be could never be fed.
    [Theory]
    [InlineData("name", 256, "name is 257 characters long; a name is at most 256")]
    [InlineData("salt", 256, "salt is 257 characters long; every assignment hashes the salt, so it is at most 256")]
    [InlineData("primary_score", 256, "primary_score is 257 characters long; a feedback score's name is at most 256")]
    public void Parse_TextLongerThanItsLimit_RefusedNamingTheField(string field, int limit, string problem)
    {
        string Definition(int length) => $$$"""
            {"key":"k","control":"a","variants":{"a":{"provider":"sim","model":"m"},"b":{"provider":"sim","model":"m"}},
             "stages":[{"weights":{"a":50,"b":50}}],"{{{field}}}":"{{{new string('x', length)}}}"}
            """;

        var ex = Assert.Throws<ExperimentValidationException>(() => ExperimentDefinitionJson.Parse(Definition(limit + 1)));

        Assert.Equal(problem, Assert.Single(ex.Problems));
        Assert.Equal("k", ExperimentDefinitionJson.Parse(Definition(limit)).Key);
    }

    [Fact]
    public void Parse_JudgeRubricLongerThan32768Characters_RefusedNamingIt()
    {
        string Definition(int length) => $$$"""
            {"key":"k","control":"a","variants":{"a":{"provider":"sim","model":"m"},"b":{"provider":"sim","model":"m"}},
             "stages":[{"weights":{"a":50,"b":50}}],"judges":[{"name":"helpful","provider":"sim","model":"j","rubric":"{{{new string('x', length)}}}"}]}
            """;

        var ex = Assert.Throws<ExperimentValidationException>(() => ExperimentDefinitionJson.Parse(Definition(32_769)));

        Assert.Equal("judges[0].rubric is 32769 characters long; a rubric is sent with every judged call, so it is at most 32768", Assert.Single(ex.Problems));
        Assert.Equal(32_768, ExperimentDefinitionJson.Parse(Definition(32_768)).Judges[0].Rubric!.Length);
    }

    [Fact]
    public void Write_ThenParse_RoundTrips()
    {
        var original = ExperimentDefinitionJson.Parse(SeedExperiment.Json);

        var json = ExperimentDefinitionJson.Write(original);
        var copy = ExperimentDefinitionJson.Parse(json);

        Assert.Equal(json, ExperimentDefinitionJson.Write(copy));
        Assert.Equal(original.Stages.Select(s => s.Weights.Select(w => w.Buckets).ToArray()), copy.Stages.Select(s => s.Weights.Select(w => w.Buckets).ToArray()));
        Assert.Equal(original.Variants, copy.Variants, (a, b) => a.Name == b.Name && a.Config with { Params = null } == b.Config with { Params = null });
    }

    [Fact]
    public void Parse_WeightsSumTo95_NamesStageAndSum()
    {
        var ex = Assert.Throws<ExperimentValidationException>(() => ExperimentDefinitionJson.Parse(
            SeedExperiment.Json.Replace("\"control\": 60, \"variant_a\": 20, \"variant_b\": 20", "\"control\": 55, \"variant_a\": 20, \"variant_b\": 20", StringComparison.Ordinal)));

        Assert.Equal(["stages[1].weights sums to 95; weights must sum to 100"], ex.Problems);
    }

    [Fact]
    public void Parse_ManyProblems_ReportsEveryOneAtOnce()
    {
        var ex = Assert.Throws<ExperimentValidationException>(() => ExperimentDefinitionJson.Parse("""
            { "key": "Bad Key", "control": "ctrl",
              "variants": { "a": { "provider": "sim", "temperature": 3 }, "a": { "provider": "sim", "model": "m" }, "b": { "provider": "sim", "model": "m" } },
              "stages": [ { "weights": { "a": 50, "c": 50 } }, { "weights": { "a": 50.001, "b": 49.999 } } ],
              "advance": "sometimes", "stagse": [] }
            """));

        Assert.Contains("stagse is not a known field; known fields are key, name, control, variants, stages, advance, primary_score, promotion, guardrails, logging, salt, judges, targeting, layer, segments", ex.Problems);
        Assert.Contains("key 'Bad Key' is invalid; use 1 to 64 lowercase letters, digits, '-' or '_', starting with a letter or digit", ex.Problems);
        Assert.Contains("variants.a.model is required", ex.Problems);
        Assert.Contains("variants.a.temperature must be a number from 0 to 2", ex.Problems);
        Assert.Contains("variants.a is defined twice; variant names must be unique", ex.Problems);
        Assert.Contains("control 'ctrl' is not one of the variants (a, b)", ex.Problems);
        Assert.Contains("stages[0].weights.c: 'c' is not a variant; the variants are a, b", ex.Problems);
        Assert.Contains("stages[0].weights.b is missing; give every variant a weight (0 is allowed)", ex.Problems);
        Assert.Contains("stages[1].weights.a must be a percentage from 0 to 100 with at most two decimals", ex.Problems);
        Assert.Contains("advance 'sometimes' is invalid; use one of manual, scheduled, auto", ex.Problems);
        Assert.Equal(11, ex.Problems.Count);
    }

    [Theory]
    [InlineData("{", "not valid JSON at line 1")]
    [InlineData("[]", "the experiment must be a JSON object")]
    [InlineData("{\"key\":\"k\"}", "variants is required")]
    [InlineData("{\"key\":\"k\",\"control\":\"a\",\"variants\":{\"a\":{\"provider\":\"p\",\"model\":\"m\"}},\"stages\":[{\"weights\":{\"a\":100}}]}", "variants needs at least two variants")]
    [InlineData("{\"key\":\"k\",\"control\":\"a\",\"variants\":{\"a\":{\"provider\":\"p\",\"model\":\"m\"},\"b\":{\"provider\":\"p\",\"model\":\"m\"}},\"stages\":[]}", "stages must be a non-empty JSON array")]
    [InlineData("{\"key\":\"k\",\"control\":\"a\",\"variants\":{\"a\":{\"provider\":\"p\",\"model\":\"m\"},\"b\":{\"provider\":\"p\",\"model\":\"m\"}},\"stages\":[{\"weights\":{\"a\":50,\"b\":50},\"min_duration\":\"a week\"}]}", "stages[0].min_duration 'a week' is not a duration")]
    [InlineData("{\"key\":\"k\",\"control\":\"a\",\"variants\":{\"a\":{\"provider\":\"p\",\"model\":\"m\"},\"b\":{\"provider\":\"p\",\"model\":\"m\"}},\"stages\":[{\"weights\":{\"a\":-10,\"b\":110}}]}", "stages[0].weights.a must be a percentage")]
    [InlineData("{\"key\":\"k\\n\",\"control\":\"a\",\"variants\":{\"a\":{\"provider\":\"p\",\"model\":\"m\"},\"b\":{\"provider\":\"p\",\"model\":\"m\"}},\"stages\":[{\"weights\":{\"a\":50,\"b\":50}}]}", "key 'k\n' is invalid")]
    [InlineData("{\"key\":\"k\",\"control\":\"a\",\"variants\":{\"a\":{\"provider\":\"p\",\"model\":\"\\ud800\"},\"b\":{\"provider\":\"p\",\"model\":\"m\"}},\"stages\":[{\"weights\":{\"a\":50,\"b\":50}}]}", "half a UTF-16 surrogate pair")]
    [InlineData("{\"key\":\"k\",\"control\":\"a\",\"variants\":{\"a\":{\"provider\":\"p\",\"model\":\"m\"},\"b\":{\"provider\":\"p\",\"model\":\"m\"}},\"stages\":[{\"weights\":{\"a\":1e27,\"b\":0}}]}", "stages[0].weights.a must be a percentage from 0 to 100")]
    [InlineData("{\"key\":\"k\",\"control\":\"a\",\"variants\":{\"a\":{\"provider\":\"p\",\"model\":\"m\"},\"b\":{\"provider\":\"p\",\"model\":\"m\"}},\"stages\":[{\"weights\":{\"a\":79228162514264337593543950335,\"b\":0}}]}", "stages[0].weights.a must be a percentage from 0 to 100")]
    [InlineData("{\"key\":\"k\",\"control\":\"a\",\"variants\":{\"a\":{\"provider\":\"p\",\"model\":\"m\"},\"b\":{\"provider\":\"p\",\"model\":\"m\"}},\"stages\":[{\"weights\":{\"a\":50,\"b\":50}}],\"targeting\":{\"all\":[{\"attribute\":\"plan\",\"attribute\":\"country\",\"eq\":\"FR\"}]}}", "targeting.all[0].attribute is given twice")]
    public void Parse_BadInput_MessageNamesTheField(string json, string expected)
    {
        var ex = Assert.Throws<ExperimentValidationException>(() => ExperimentDefinitionJson.Parse(json));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_StagesUpToTheLastIndexEventsRecord_ReadsThemAndRefusesOneMore()
    {
        static string WithStages(int count) =>
            "{\"key\":\"k\",\"control\":\"a\",\"variants\":{\"a\":{\"provider\":\"p\",\"model\":\"m\"},\"b\":{\"provider\":\"p\",\"model\":\"m\"}},\"stages\":["
            + string.Join(",", Enumerable.Repeat("{\"weights\":{\"a\":50,\"b\":50}}", count)) + "]}";

        // Events record the stage that served them, at most 1000; a promotion serves the stage after the last listed one.
        var sut = ExperimentDefinitionJson.Parse(WithStages(1000));
        var ex = Assert.Throws<ExperimentValidationException>(() => ExperimentDefinitionJson.Parse(WithStages(1001)));

        Assert.Equal(1000, sut.Stages.Length);
        Assert.Equal(["stages has 1001 stages; at most 1000 are allowed (an event records its stage's index, at most 1000, and promotion adds a stage after the last)"], ex.Problems);
    }

    [Fact]
    public void Parse_ThousandsOfBadFields_ListsTheFirstHundredAndCountsTheRest()
    {
        var unknown = string.Join(",", Enumerable.Range(0, 5000).Select(i => $"\"x{i}\":0"));
        var json = SeedExperiment.Json.Replace("\"control\": 80,", $"{unknown}, \"control\": 80,", StringComparison.Ordinal);

        var ex = Assert.Throws<ExperimentValidationException>(() => ExperimentDefinitionJson.Parse(json));

        Assert.Equal(101, ex.Problems.Count);
        Assert.Equal("stages[0].weights.x0: 'x0' is not a variant; the variants are control, variant_a, variant_b", ex.Problems[0]);
        Assert.Equal("the other 4900 problems are not listed; fix these first", ex.Problems[^1]);
    }

    [Theory]
    [InlineData("{\"a\":1e-300,\"b\":100}", "", "stages[0].weights.a must be a percentage from 0 to 100 with at most two decimals")]
    [InlineData("{\"a\":50.0000000000000000000000000001,\"b\":49.9999999999999999999999999999}", "", "stages[0].weights.a must be a percentage from 0 to 100 with at most two decimals")]
    [InlineData("{\"a\":50,\"b\":50}", ",\"layer\":{\"name\":\"l\",\"range\":[0,50],\"holdout\":1e-300}", "layer.holdout must be a percentage from 0 to 50 with at most two decimals")]
    public void Parse_PercentADecimalWouldRound_NamesTheFieldInsteadOfRoundingIt(string weights, string more, string problem)
    {
        // A decimal reads 1e-300 as 0 and drops a 29th digit: these passed as 0, 50 and 50, each with more than two decimals.
        var ex = Assert.Throws<ExperimentValidationException>(() => ExperimentDefinitionJson.Parse(
            $$$"""{"key":"k","control":"a","variants":{"a":{"provider":"p","model":"m"},"b":{"provider":"p","model":"m"}},"stages":[{"weights":{{{weights}}}}]{{{more}}}}"""));

        Assert.Contains(problem, ex.Problems);
    }

    [Theory]
    [InlineData("5e1", "50")]
    [InlineData("5.00E+1", "50.0")]
    [InlineData("12.50", "87.5")]
    [InlineData("-0", "100")]
    public void Parse_PercentWrittenAnotherWayButExact_Reads(string a, string b)
    {
        var sut = ExperimentDefinitionJson.Parse($$$"""{"key":"k","control":"a","variants":{"a":{"provider":"p","model":"m"},"b":{"provider":"p","model":"m"}},"stages":[{"weights":{"a":{{{a}}},"b":{{{b}}}}}]}""");

        Assert.Equal(10_000, sut.Stages[0].Weights.Sum(w => w.Buckets));
    }

    [Fact]
    public void StageWeightsParse_PercentADecimalWouldRound_NamesTheField()
    {
        var ex = Assert.Throws<ExperimentValidationException>(() => StageWeights.Parse("control=50.0000000000000000000000000001,variant_a=49.9999999999999999999999999999", ["control", "variant_a"]));

        Assert.Contains("weights.control must be a percentage from 0 to 100 with at most two decimals", ex.Problems);
        Assert.Equal([Weight.FromPercent(60), Weight.FromPercent(40)], StageWeights.Parse("control=6e1,variant_a=40.00", ["control", "variant_a"]));
    }

    [Fact]
    public void StageWeightsParse_PercentBeyondWhatTimesHundredHolds_NamesTheField()
    {
        // 1e27 and above overflowed the decimal multiplication into buckets (an OverflowException, a 500 from the API).
        var ex = Assert.Throws<ExperimentValidationException>(() => StageWeights.Parse("control=79228162514264337593543950335,variant_a=0", ["control", "variant_a"]));

        Assert.Equal(["weights.control must be a percentage from 0 to 100 with at most two decimals"], ex.Problems);
    }

    [Fact]
    public void StageWeightsParse_CliText_ReadsInListedOrder()
    {
        var weights = StageWeights.Parse("variant_b=20, control=60,variant_a=20", ["control", "variant_a", "variant_b"]);

        Assert.Equal([Weight.FromPercent(60), Weight.FromPercent(20), Weight.FromPercent(20)], weights);
    }

    [Fact]
    public void StageWeightsParse_NotANumber_NamesTheField()
    {
        var ex = Assert.Throws<ExperimentValidationException>(() => StageWeights.Parse("control=abc,variant_a=50", ["control", "variant_a"]));

        Assert.Equal(["weights.control must be a percentage from 0 to 100 with at most two decimals"], ex.Problems);
    }
}
