using Rampart.Llm.Judging;

namespace Rampart.Llm.Tests.Judging;

public sealed class JudgeVerdictTests
{
    [Theory]
    [InlineData("""{"rating": 4, "reason": "Clear."}""", 4.0, "Clear.")]
    [InlineData("""Here is my verdict: {"rating": 2.5, "reason": "Vague"} — thanks""", 2.5, "Vague")]
    [InlineData("```json\n{\"rating\": 5, \"reason\": \"ok\"}\n```", 5.0, "ok")]
    [InlineData("""{"rating": "3", "reason": "as text"}""", 3.0, "as text")]
    [InlineData("3", 3.0, null)]
    [InlineData(" 4/5. ", 4.0, null)]
    [InlineData("```\n2\n```", 2.0, null)]
    [InlineData("""{"rating": 9}""", 9.0, null)]
    public void Parse_ReadableAnswer_RatingAndReason(string text, double rating, string? reason)
    {
        var sut = JudgeVerdict.Parse(text);

        Assert.Equal(new JudgeVerdict(rating, reason), sut);
    }

    [Theory]
    [InlineData("")]
    [InlineData("The answer is great, I would give it a high mark.")]
    [InlineData("""{"score": 4}""")]
    [InlineData("""{"rating": "high"}""")]
    [InlineData("{not json")]
    [InlineData("Between 3 and 4")]
    [InlineData("""{"rating": "NaN"}""")]
    [InlineData("""{"rating": "-Infinity"}""")]
    [InlineData("""{"rating": 1e999}""")]
    public void Parse_Garbage_NoRating(string text)
    {
        Assert.Null(JudgeVerdict.Parse(text).Rating);
    }

    [Fact]
    public void Parse_HugeBareNumber_NoRatingRatherThanInfinity()
    {
        Assert.Null(JudgeVerdict.Parse(new string('9', 400)).Rating);
    }

    [Fact]
    public void Parse_MegabytesOfBraces_NoRatingAndOnlyTheBoundedPrefixRead()
    {
        // Two million '{': read whole and retried at every brace, this is quadratic (hours); bounded, it is a few tries.
        var sut = JudgeVerdict.Parse(new string('{', 2_000_000) + """{"rating": 4}""");

        Assert.Null(sut.Rating);
    }

    [Fact]
    public void Parse_VerdictAfterAFewBracesOfProse_StillFound()
    {
        var sut = JudgeVerdict.Parse("""I considered {a} and {b}. {"rating": 3, "reason": "ok"}""");

        Assert.Equal(new JudgeVerdict(3, "ok"), sut);
    }
}
