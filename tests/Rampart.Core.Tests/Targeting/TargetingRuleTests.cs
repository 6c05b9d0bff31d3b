using System.Text.Json;
using Rampart.Core.Experiments;
using Rampart.Core.Targeting;

namespace Rampart.Core.Tests.Targeting;

public sealed class TargetingRuleTests
{
    // The example: plan in (pro, team) and country not DE.
    private const string Example = """{"all": [{"attribute": "plan", "in": ["pro", "team"]}, {"attribute": "country", "not_in": ["DE"]}]}""";

    [Theory]
    [InlineData(Example, """{"plan": "pro", "country": "FR"}""", true)]
    [InlineData(Example, """{"plan": "team", "country": "US"}""", true)]
    [InlineData(Example, """{"plan": "free", "country": "FR"}""", false)]
    [InlineData(Example, """{"plan": "pro", "country": "DE"}""", false)]
    [InlineData(Example, """{"plan": "pro"}""", false)]                       // a missing attribute never matches not_in
    [InlineData(Example, """{}""", false)]
    [InlineData(Example, """{"plan": 7, "country": "FR"}""", false)]          // a number is not the string "7"
    [InlineData("""{"any": [{"attribute": "plan", "eq": "pro"}, {"attribute": "beta", "eq": true}]}""", """{"plan": "free", "beta": true}""", true)]
    [InlineData("""{"any": [{"attribute": "plan", "eq": "pro"}, {"attribute": "beta", "eq": true}]}""", """{"plan": "free", "beta": false}""", false)]
    [InlineData("""{"all": [{"attribute": "seats", "gt": 10}]}""", """{"seats": 11}""", true)]
    [InlineData("""{"all": [{"attribute": "seats", "gt": 10}]}""", """{"seats": 10}""", false)]
    [InlineData("""{"all": [{"attribute": "seats", "gt": 10}]}""", """{"seats": "11"}""", false)]
    [InlineData("""{"all": [{"attribute": "seats", "lt": 10}]}""", """{"seats": 9.5}""", true)]
    [InlineData("""{"all": [{"attribute": "seats", "eq": 3}]}""", """{"seats": 3.0}""", true)]
    [InlineData("""{"all": [{"attribute": "email", "exists": true}]}""", """{"email": "a@b.c"}""", true)]
    [InlineData("""{"all": [{"attribute": "email", "exists": true}]}""", """{}""", false)]
    [InlineData("""{"all": [{"attribute": "email", "exists": false}]}""", """{}""", true)]
    [InlineData("""{"all": [{"attribute": "email", "exists": false}]}""", """{"email": ""}""", false)]
    [InlineData("""{"all": [{"attribute": "app", "semver_gte": "2.4.0"}]}""", """{"app": "2.4.0"}""", true)]
    [InlineData("""{"all": [{"attribute": "app", "semver_gte": "2.4.0"}]}""", """{"app": "2.10.1"}""", true)]   // numerically, not as text
    [InlineData("""{"all": [{"attribute": "app", "semver_gte": "2.4.0"}]}""", """{"app": "2.4.0-beta.1"}""", false)] // a pre-release precedes its release
    [InlineData("""{"all": [{"attribute": "app", "semver_gte": "2.4"}]}""", """{"app": "v2.4.0+build.7"}""", true)]
    [InlineData("""{"all": [{"attribute": "app", "semver_gte": "2.4.0"}]}""", """{"app": "latest"}""", false)]
    [InlineData("""{"all": [{"attribute": "app", "semver_lt": "3.0.0"}]}""", """{"app": "2.99.99"}""", true)]
    [InlineData("""{"all": [{"attribute": "app", "semver_lt": "3.0.0"}]}""", """{"app": "3.0.0-rc.1"}""", true)]
    [InlineData("""{"all": [{"attribute": "app", "semver_lt": "3.0.0"}]}""", """{"app": "3.0.0"}""", false)]
    [InlineData("""{"all": [{"attribute": "plan", "in": ["pro"]}, {"any": [{"attribute": "country", "eq": "FR"}, {"attribute": "seats", "gt": 100}]}]}""", """{"plan": "pro", "seats": 500}""", true)]
    [InlineData("""{"all": [{"attribute": "plan", "in": ["pro"]}, {"any": [{"attribute": "country", "eq": "FR"}, {"attribute": "seats", "gt": 100}]}]}""", """{"plan": "pro", "seats": 5, "country": "DE"}""", false)]
    public void Matches_TableOfRulesAndAttributes(string rule, string attributes, bool expected)
    {
        var sut = TargetingJson.Parse(rule);

        Assert.Equal(expected, sut.Matches(Attributes(attributes)));
    }

    [Theory]
    [InlineData("""{"all": [{"attribute": "plan", "contains": "pro"}]}""", "targeting.all[0]: unknown operator 'contains'; use one of eq, in, not_in, exists, gt, lt, semver_gte, semver_lt")]
    [InlineData("""{"all": [{"attribute": "plan"}]}""", "targeting.all[0] needs an operator: one of eq, in, not_in, exists, gt, lt, semver_gte, semver_lt")]
    [InlineData("""{"all": [{"attribute": "plan", "eq": "pro", "in": ["team"]}]}""", "targeting.all[0] needs exactly one operator; it has 2 (eq, in)")]
    [InlineData("""{"all": [{"in": ["pro"]}]}""", "targeting.all[0].attribute is required")]
    [InlineData("""{"all": [{"attribute": "plan", "in": "pro"}]}""", "targeting.all[0].in must be a non-empty array (at most 1000) of strings, numbers or booleans")]
    [InlineData("""{"all": [{"attribute": "plan", "in": []}]}""", "targeting.all[0].in must be a non-empty array (at most 1000) of strings, numbers or booleans")]
    [InlineData("""{"all": [{"attribute": "plan", "not_in": [{"a": 1}]}]}""", "targeting.all[0].not_in[0] must be a string, a finite number or a boolean")]
    [InlineData("""{"all": [{"attribute": "seats", "gt": "10"}]}""", "targeting.all[0].gt must be a finite number")]
    [InlineData("""{"all": [{"attribute": "seats", "lt": null}]}""", "targeting.all[0].lt must be a finite number")]
    [InlineData("""{"all": [{"attribute": "email", "exists": "yes"}]}""", "targeting.all[0].exists must be true or false")]
    [InlineData("""{"all": [{"attribute": "app", "semver_gte": "two"}]}""", "targeting.all[0].semver_gte must be a version string such as \"2.4.0\", not 'two'")]
    [InlineData("""{"all": [{"attribute": "app", "semver_lt": 3}]}""", "targeting.all[0].semver_lt must be a version string such as \"2.4.0\"")]
    [InlineData("""{"all": [{"attribute": "plan", "eq": [1]}]}""", "targeting.all[0].eq must be a string, a finite number or a boolean")]
    [InlineData("""{"all": []}""", "targeting.all must be a non-empty array of conditions")]
    [InlineData("""{"all": [1]}""", "targeting.all[0] must be a condition")]
    [InlineData("""{"all": [{"attribute": "a", "eq": 1}], "any": [{"attribute": "a", "eq": 1}]}""", "targeting must have exactly one of \"all\" or \"any\"")]
    [InlineData("""{"attribute": "plan", "eq": "pro"}""", "targeting must be an object with \"all\" or \"any\"")]
    [InlineData("""["plan"]""", "targeting must be an object with \"all\" or \"any\"")]
    [InlineData("""{"all": [{"all": [{"all": [{"all": [{"all": [{"attribute": "a", "eq": 1}]}]}]}]}]}""", "targeting.all[0].all[0].all[0].all[0] nests groups deeper than 4 levels")]
    [InlineData("""{"all": [{"attribute": "plan", "in": ["pro", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"]}]}""", "targeting.all[0].in[1] is longer than 256 characters")]
    [InlineData("""{"all": [{"attribute": "plan", "eq": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}]}""", "targeting.all[0].eq is longer than 256 characters")]
    public void Parse_BadRule_NamesTheField(string rule, string problem)
    {
        var ex = Assert.Throws<ExperimentValidationException>(() => TargetingJson.Parse(rule));

        Assert.Contains(ex.Problems, p => p.StartsWith(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_TooManyConditions_Refused()
    {
        var conditions = string.Join(",", Enumerable.Range(0, TargetingJson.MaxConditions + 1).Select(i => $$"""{"attribute": "a{{i}}", "exists": true}"""));

        var ex = Assert.Throws<ExperimentValidationException>(() => TargetingJson.Parse($$"""{"all": [{{conditions}}]}"""));

        Assert.Contains(ex.Problems, p => p.Contains($"targeting has more than {TargetingJson.MaxConditions} conditions", StringComparison.Ordinal));
    }

    [Fact]
    public void WriteThenParse_InAnExperiment_RoundTripsAndNamesItsAttributes()
    {
        var definition = ExperimentDefinitionJson.Parse("""
            {"key":"k","control":"a","variants":{"a":{"provider":"sim","model":"m"},"b":{"provider":"sim","model":"m"}},
             "stages":[{"weights":{"a":50,"b":50}}],
             "targeting":{"all":[{"attribute":"plan","in":["pro","team",3,true]},{"any":[{"attribute":"country","not_in":["DE"]},{"attribute":"app","semver_gte":"2.4.0"}]},{"attribute":"seats","gt":1.5}]}}
            """);

        var json = ExperimentDefinitionJson.Write(definition);
        var copy = ExperimentDefinitionJson.Parse(json);

        Assert.Equal(json, ExperimentDefinitionJson.Write(copy));
        Assert.Equal(["plan", "country", "app", "seats"], copy.Targeting!.AttributeNames());
        Assert.True(copy.Targeting.Matches(Attributes("""{"plan": 3, "country": "FR", "seats": 2}""")));
    }

    [Theory]
    [InlineData("""{"plan": {"tier": 1}}""", "attributes.plan must be a string, a finite number or a boolean")]
    [InlineData("""{"plan": null}""", "attributes.plan must be a string, a finite number or a boolean")]
    [InlineData("""["plan"]""", "attributes must be a JSON object of attributes")]
    public void Read_BadAttributes_NamesTheField(string json, string problem)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Null(UnitAttributes.Read(document.RootElement, "attributes", out var error));
        Assert.StartsWith(problem, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Bounds_TooManyOrTooLong_NamesTheField()
    {
        var many = "{" + string.Join(",", Enumerable.Range(0, UnitAttributes.MaxAttributes + 1).Select(i => $"\"a{i}\": 1")) + "}";
        var longText = $$"""{"plan": "{{new string('x', UnitAttributes.MaxTextLength + 1)}}"}""";
        var longName = $$"""{"{{new string('n', UnitAttributes.MaxNameLength + 1)}}": 1}""";

        Assert.Equal($"attributes has more than {UnitAttributes.MaxAttributes} attributes", Problem(many));
        Assert.Equal($"attributes.plan is longer than {UnitAttributes.MaxTextLength} characters", Problem(longText));
        Assert.Equal($"attributes: an attribute's name must be 1 to {UnitAttributes.MaxNameLength} characters", Problem(longName));
    }

    // \ud800 is valid JSON but half a surrogate pair: JsonElement.GetString and JsonProperty.Name throw InvalidOperationException on it,
    // which reached the gateway (X-Rampart-Attributes) as a 500 instead of a 400 naming the field.
    [Theory]
    [InlineData("""{"plan": "\ud800"}""", "attributes.plan must be valid Unicode")]
    [InlineData("""{"\ud800": 1}""", "attributes: an attribute's name must be valid Unicode")]
    [InlineData("""{"plan": "pro", "x\udc00y": "a"}""", "attributes: an attribute's name must be valid Unicode")]
    public void Read_LoneSurrogate_NamesTheFieldInsteadOfThrowing(string json, string problem)
    {
        Assert.StartsWith(problem, Problem(json), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1e308", 1e308)]
    [InlineData("-1e308", -1e308)]
    [InlineData("9223372036854775807", 9223372036854775807d)]
    public void Read_ExtremeFiniteNumbers_Kept(string number, double expected)
    {
        var sut = Attributes($$"""{"seats": {{number}}}""");

        Assert.True(sut.TryGet("seats", out var value));
        Assert.Equal(expected, value.Number);
        Assert.True(TargetingJson.Parse($$"""{"all": [{"attribute": "seats", "gt": {{number}}}]}""") is { } rule && !rule.Matches(sut));
        Assert.True(TargetingJson.Parse($$"""{"all": [{"attribute": "seats", "eq": {{number}}}]}""").Matches(sut));
    }

    [Fact]
    public void Read_NumberBeyondDouble_NamesTheField()
    {
        Assert.Equal("attributes.seats must be a string, a finite number or a boolean", Problem("""{"seats": 1e309}"""));
        Assert.Throws<ExperimentValidationException>(() => TargetingJson.Parse("""{"all": [{"attribute": "seats", "gt": -1e309}]}"""));
    }

    [Theory]
    [InlineData("""{"all": [{"attribute": "\ud800", "eq": "pro"}]}""")]
    [InlineData("""{"all": [{"attribute": "plan", "eq": "\ud800"}]}""")]
    [InlineData("""{"all": [{"attribute": "plan", "in": ["pro", "\udfff"]}]}""")]
    [InlineData("""{"all": [{"attribute": "app", "semver_gte": "\ud800"}]}""")]
    [InlineData("""{"all": [{"attribute": "plan", "eq": "pro", "\ud800": 1}]}""")]
    [InlineData("""{"\ud800": [{"attribute": "plan", "eq": "pro"}]}""")]
    public void Parse_LoneSurrogate_ThrowsValidationNotInvalidOperation(string rule)
    {
        var ex = Assert.Throws<ExperimentValidationException>(() => TargetingJson.Parse(rule));

        Assert.Contains("valid Unicode", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(10_000)]
    public void Parse_DeeplyNested_RefusedWithoutOverflowingTheStack(int depth)
    {
        var rule = string.Concat(Enumerable.Repeat("""{"all": [""", depth)) + """{"attribute": "a", "eq": 1}""" + string.Concat(Enumerable.Repeat("]}", depth));
        var experiment = """
            {"key":"k","control":"a","variants":{"a":{"provider":"sim","model":"m"},"b":{"provider":"sim","model":"m"}},
             "stages":[{"weights":{"a":50,"b":50}}],"targeting":
            """ + rule + "}";

        Assert.Throws<ExperimentValidationException>(() => TargetingJson.Parse(rule));
        Assert.Throws<ExperimentValidationException>(() => ExperimentDefinitionJson.Parse(experiment));
    }

    [Fact]
    public void Parse_NestedJustBeyondTheLimit_NamesTheDepthNotTheJson()
    {
        var depth = TargetingJson.MaxDepth + 1;
        var rule = string.Concat(Enumerable.Repeat("""{"all": [""", depth)) + """{"attribute": "a", "eq": 1}""" + string.Concat(Enumerable.Repeat("]}", depth));

        var ex = Assert.Throws<ExperimentValidationException>(() => TargetingJson.Parse(rule));

        Assert.Contains(ex.Problems, p => p.Contains($"nests groups deeper than {TargetingJson.MaxDepth} levels", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("99999999999999999999.0.0")]
    [InlineData("1.2.3-")]
    public void Parse_VersionOutOfRange_NamesTheField(string version)
    {
        var ex = Assert.Throws<ExperimentValidationException>(() => TargetingJson.Parse($$"""{"all": [{"attribute": "app", "semver_gte": "{{version}}"}]}"""));

        Assert.Contains(ex.Problems, p => p.StartsWith("targeting.all[0].semver_gte must be a version string", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_VersionOfTenThousandCharacters_NamesTheFieldAndShortensIt()
    {
        var version = "1." + new string('1', 10_000);

        var ex = Assert.Throws<ExperimentValidationException>(() => TargetingJson.Parse($$"""{"all": [{"attribute": "app", "semver_lt": "{{version}}"}]}"""));

        var problem = Assert.Single(ex.Problems);
        Assert.StartsWith("targeting.all[0].semver_lt must be a version string", problem, StringComparison.Ordinal);
        Assert.True(problem.Length < 200, problem);
    }

    [Fact]
    public void Matches_UnitVersionOfTenThousandCharactersOrBeyondLong_DoesNotMatch()
    {
        var gte = TargetingJson.Parse("""{"all": [{"attribute": "app", "semver_gte": "1.0.0"}]}""");
        var lt = TargetingJson.Parse("""{"all": [{"attribute": "app", "semver_lt": "1.0.0"}]}""");
        var huge = UnitAttributes.From([new("app", AttributeValue.Of("99999999999999999999.0.0"))]);
        var longText = Attributes($$"""{"app": "{{new string('9', UnitAttributes.MaxTextLength)}}"}""");

        Assert.False(gte.Matches(huge) || lt.Matches(huge));
        Assert.False(gte.Matches(longText) || lt.Matches(longText));
    }

    [Fact]
    public void Parse_InListBeyondTheBound_Refused()
    {
        var list = string.Join(",", Enumerable.Range(0, TargetingJson.MaxListLength + 1));

        var ex = Assert.Throws<ExperimentValidationException>(() => TargetingJson.Parse($$"""{"all": [{"attribute": "a", "in": [{{list}}]}]}"""));

        Assert.Contains(ex.Problems, p => p.StartsWith("targeting.all[0].in must be a non-empty array (at most 1000)", StringComparison.Ordinal));
    }

    private static string? Problem(string json)
    {
        using var document = JsonDocument.Parse(json);
        UnitAttributes.Read(document.RootElement, "attributes", out var problem);
        return problem;
    }

    internal static UnitAttributes Attributes(string json)
    {
        using var document = JsonDocument.Parse(json);
        return UnitAttributes.Read(document.RootElement, "attributes", out var problem) ?? throw new InvalidOperationException(problem);
    }
}
