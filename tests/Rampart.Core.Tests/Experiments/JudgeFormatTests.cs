using Rampart.Core.Experiments;

namespace Rampart.Core.Tests.Experiments;

public sealed class JudgeFormatTests
{
    private const string Head = """
        {"key":"k","control":"a","variants":{"a":{"provider":"sim","model":"m"},"b":{"provider":"sim","model":"m"}},
         "stages":[{"weights":{"a":50,"b":50}}]
        """;

    [Fact]
    public void Parse_IssueExample_ReadsEveryJudgeFieldAndTheFloors()
    {
        var sut = ExperimentDefinitionJson.Parse(Head + """
            ,"judges":[{"name":"helpfulness","provider":"openai","model":"gpt-4.1-mini","rubric":"Is it helpful?","scale":[1,5],"sample_rate":0.2,"max_cost_usd_per_day":5}],
             "guardrails":{"min_score":{"judge_helpfulness":{"max_drop":0.05}}},
             "promotion":{"min_score":{"judge_helpfulness":{"max_drop":0.02}}}}
            """);

        Assert.Equal([new JudgeDefinition("helpfulness", "openai", "gpt-4.1-mini", "Is it helpful?", 1, 5, 0.2, 5)], sut.Judges);
        Assert.Equal("judge_helpfulness", sut.Judges[0].ScoreName);
        Assert.Same(sut.Judges[0], sut.JudgeOf("judge_helpfulness"));
        Assert.Equal(new ScoreFloor(0.05), sut.Guardrails.MinScore["judge_helpfulness"]);
        Assert.Equal(new ScoreFloor(0.02), sut.Promotion.MinScore["judge_helpfulness"]);
    }

    [Fact]
    public void Parse_JudgeWithOnlyRequiredFields_TakesTheDefaults()
    {
        var sut = ExperimentDefinitionJson.Parse(Head + ""","judges":[{"name":"q","provider":"sim","model":"judge"}]}""");

        Assert.Equal(new JudgeDefinition("q", "sim", "judge", null, 1, 5, 0.1, null), sut.Judges[0]);
        Assert.Empty(sut.Guardrails.MinScore);
    }

    [Fact]
    public void WriteThenParse_WithJudgesAndFloors_RoundTrips()
    {
        var original = ExperimentDefinitionJson.Parse(Head + """
            ,"judges":[{"name":"q","provider":"sim","model":"judge","scale":[0,10],"sample_rate":0.5}],
             "guardrails":{"min_score":{"judge_q":{"max_drop":0.05},"user_satisfaction":{"max_drop":0.1}}}}
            """);

        var json = ExperimentDefinitionJson.Write(original);
        var copy = ExperimentDefinitionJson.Parse(json);

        Assert.Equal(original.Judges, copy.Judges);
        Assert.Equal(original.Guardrails.MinScore, copy.Guardrails.MinScore);
        Assert.Equal(json, ExperimentDefinitionJson.Write(copy));
    }

    [Theory]
    [InlineData("""[{"name":"Bad Name","provider":"sim","model":"m"}]""", "judges[0].name 'Bad Name' is invalid; use 1 to 48 lowercase letters, digits or '_'")]
    [InlineData("""[{"name":"q","provider":"sim","model":"m"},{"name":"q","provider":"sim","model":"m"}]""", "judges[1].name 'q' is used by another judge; judge names must be unique")]
    [InlineData("""[{"name":"q","provider":"sim","model":"m","scale":[5,1]}]""", "judges[0].scale [5, 1] must go from a lower to a higher rating")]
    [InlineData("""[{"name":"q","provider":"sim","model":"m","scale":[1,"5"]}]""", "judges[0].scale must be two numbers [lowest, highest], e.g. [1, 5]")]
    [InlineData("""[{"name":"q","provider":"sim","model":"m","rubric":""}]""", "judges[0].rubric must not be empty; leave it out for the built-in rubric")]
    [InlineData("""{"name":"q"}""", "judges must be a JSON array of judges")]
    [InlineData("""[{"name":"tone_preference","provider":"sim","model":"m"}]""", "judges[0].name 'tone_preference' must not end in '_preference': judge_<name>_preference is the score of the judge's pairwise preference")]
    public void Parse_BadJudge_NamesTheField(string judges, string problem)
    {
        var ex = Assert.Throws<ExperimentValidationException>(() => ExperimentDefinitionJson.Parse(Head + $$""","judges":{{judges}}}"""));

        Assert.Contains(problem, ex.Problems);
    }

    [Theory]
    [InlineData("""[{"name":"q","provider":"sim","model":"m","sample_rate":0}]""", "judges[0].sample_rate")]
    [InlineData("""[{"name":"q","provider":"sim","model":"m","sample_rate":1.5}]""", "judges[0].sample_rate")]
    [InlineData("""[{"name":"q","provider":"sim","model":"m","max_cost_usd_per_day":-1}]""", "judges[0].max_cost_usd_per_day")]
    [InlineData("""[{"name":"q","model":"m"}]""", "judges[0].provider")]
    [InlineData("""[{"name":"q","provider":"sim","model":"m","temperature":1}]""", "judges[0].temperature")]
    public void Parse_BadJudgeNumberOrMissingField_NamesTheField(string judges, string field)
    {
        var ex = Assert.Throws<ExperimentValidationException>(() => ExperimentDefinitionJson.Parse(Head + $$""","judges":{{judges}}}"""));

        Assert.Contains(ex.Problems, p => p.StartsWith(field, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"min_score":{"judge_nobody":{"max_drop":0.05}}}""", "guardrails.min_score.judge_nobody names no judge of this experiment (the experiment has no judges)")]
    [InlineData("""{"min_score":{"judge_x":{}}}""", "guardrails.min_score.judge_x.max_drop is required (the largest drop below the control's score tolerated, e.g. 0.05)")]
    [InlineData("""{"min_score":{"user_satisfaction":{"max_drop":-0.1}}}""", "guardrails.min_score.user_satisfaction.max_drop")]
    [InlineData("""{"min_score":{"user_satisfaction":{"max_drop":0}}}""", "guardrails.min_score.user_satisfaction.max_drop")]
    [InlineData("""{"min_score":{"user_satisfaction":{"max_drop":1e308}}}""", "guardrails.min_score.user_satisfaction.max_drop")]
    [InlineData("""{"min_score":{"user_satisfaction":{"max_drop":0.1,"alpha":0.1}}}""", "guardrails.min_score.user_satisfaction.alpha")]
    public void Parse_BadScoreFloor_NamesTheField(string guardrails, string problem)
    {
        var ex = Assert.Throws<ExperimentValidationException>(() => ExperimentDefinitionJson.Parse(Head + $$""","guardrails":{{guardrails}}}"""));

        Assert.Contains(ex.Problems, p => p.StartsWith(problem, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(3.0, 0.5)]
    [InlineData(1.0, 0.0)]
    [InlineData(5.0, 1.0)]
    [InlineData(7.0, 1.0)]
    public void Normalise_RatingOnOneToFive_MapsToZeroToOneClamped(double rating, double expected)
    {
        Assert.Equal(expected, new JudgeDefinition("q", "sim", "m").Normalise(rating));
    }

    [Fact]
    public void Normalise_NaN_IsNull()
    {
        Assert.Null(new JudgeDefinition("q", "sim", "m").Normalise(double.NaN));
    }
}
