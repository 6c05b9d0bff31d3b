using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;
using Microsoft.Extensions.Time.Testing;
using Rampart.Core.Experiments;
using Rampart.Llm.Judging;
using Rampart.Llm.Tests.Fakes;
using Rampart.Testing;

namespace Rampart.Llm.Tests.Judging;

public sealed class RubricJudgeTests
{
    private static readonly JudgeDefinition Judge = new("helpfulness", "openai", "gpt-4o-mini", Rubric: "Does it answer the question?");

    private readonly FakeTimeProvider time = new(SeedExperiment.Epoch);

    [Theory]
    [InlineData("""{"rating": 4, "reason": "Mostly right."}""", 4.0)]
    [InlineData("```json\n{\"rating\": 2, \"reason\": \"Off topic.\"}\n```", 2.0)]
    [InlineData("5", 5.0)]
    public async Task EvaluateAsync_ReadableRating_NumericMetricWithTheRatingAndUsage(string answer, double rating)
    {
        var client = new FakeChatClient(time) { Pieces = [answer] };
        var sut = new RubricJudge(Judge);

        var result = await sut.EvaluateAsync(Conversation(), Answer(), new ChatConfiguration(client));

        var metric = result.Get<NumericMetric>("judge_helpfulness");
        Assert.Equal(rating, metric.Value);
        Assert.False(metric.ContainsDiagnostics(d => d.Severity == EvaluationDiagnosticSeverity.Error));
        Assert.Equal(((long?)120, (long?)80), JudgeMetadata.Usage(metric));
    }

    [Theory]
    [InlineData("""{"rating": 7, "reason": "Excellent"}""", "outside its scale")]
    [InlineData("0", "outside its scale")]
    [InlineData("I liked it a lot.", "answered no rating")]
    public async Task EvaluateAsync_OutOfScaleOrGarbage_FailedMetricWithADiagnostic(string answer, string diagnostic)
    {
        var sut = new RubricJudge(Judge);

        var result = await sut.EvaluateAsync(Conversation(), Answer(), new ChatConfiguration(new FakeChatClient(time) { Pieces = [answer] }));

        var metric = result.Get<NumericMetric>("judge_helpfulness");
        Assert.Null(metric.Value);
        Assert.True(metric.ContainsDiagnostics(d => d.Severity == EvaluationDiagnosticSeverity.Error && d.Message.Contains(diagnostic, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task EvaluateAsync_ClientThrows_FailedMetricNotAnException()
    {
        var sut = new RubricJudge(Judge);

        var result = await sut.EvaluateAsync(Conversation(), Answer(), new ChatConfiguration(new FakeChatClient(time) { Failure = new HttpRequestException("connection refused") }));

        var metric = result.Get<NumericMetric>("judge_helpfulness");
        Assert.Null(metric.Value);
        Assert.True(metric.ContainsDiagnostics(d => d.Message.Contains("connection refused", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task EvaluateAsync_Prompt_NamesTheRubricScaleAndAnswerAndAsksForAJsonSchema()
    {
        var client = new FakeChatClient(time) { Pieces = ["3"] };
        var sut = new RubricJudge(Judge);

        await sut.EvaluateAsync(Conversation(), Answer(), new ChatConfiguration(client));

        var prompt = string.Join("\n", client.LastMessages.Select(m => m.Text));
        Assert.Contains("Does it answer the question?", prompt, StringComparison.Ordinal);
        Assert.Contains("from 1 (worst) to 5 (best)", prompt, StringComparison.Ordinal);
        Assert.Contains("user: Where is my parcel?", prompt, StringComparison.Ordinal);
        Assert.Contains("It left the depot today.", prompt, StringComparison.Ordinal);
        Assert.Equal("gpt-4o-mini", client.LastOptions!.ModelId);
        Assert.IsType<ChatResponseFormatJson>(client.LastOptions.ResponseFormat);
    }

    private static List<ChatMessage> Conversation() => [new(ChatRole.User, "Where is my parcel?")];

    private static ChatResponse Answer() => new(new ChatMessage(ChatRole.Assistant, "It left the depot today."));
}
