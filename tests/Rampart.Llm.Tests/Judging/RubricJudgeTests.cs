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

    [Theory]
    [InlineData("""{"rating": 0, "reason": "A is right."}""", 0.0)]
    [InlineData("""{"rating": 1, "reason": "B is right."}""", 1.0)]
    [InlineData("""{"rating": 0.5, "reason": "Both fine."}""", 0.5)]
    public async Task EvaluateAsync_Pairwise_TheAnswerForAOrBIsMappedBackToTheShadowByThePairsOrder(string answer, double bOverA)
    {
        var sut = new RubricJudge(Judge);
        foreach (var pair in new[] { "pair-1", "pair-2", "pair-3", "pair-4", "pair-5", "pair-6" })
        {
            var client = new FakeChatClient(time) { Pieces = [answer] };
            var context = new PairwiseContext("The served answer.", null, pair, Judge.Name);

            var result = await sut.EvaluateAsync(Conversation(), Answer(), new ChatConfiguration(client), [context]);

            var metric = result.Get<NumericMetric>("judge_helpfulness_preference");
            Assert.Equal(context.ShadowFirst ? 1 - bOverA : bOverA, metric.Value);
            var prompt = string.Join("\n", client.LastMessages.Select(m => m.Text));
            var (a, b) = context.ShadowFirst ? ("It left the depot today.", "The served answer.") : ("The served answer.", "It left the depot today.");
            Assert.Contains($"Answer A:\n{a}\n\nAnswer B:\n{b}", prompt, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EvaluateAsync_PairwiseOutOfRange_FailedPreferenceMetric()
    {
        var sut = new RubricJudge(Judge);

        var result = await sut.EvaluateAsync(Conversation(), Answer(), new ChatConfiguration(new FakeChatClient(time) { Pieces = ["""{"rating": 3}"""] }),
            [new PairwiseContext("The served answer.", null, "pair-1", Judge.Name)]);

        var metric = result.Get<NumericMetric>("judge_helpfulness_preference");
        Assert.Null(metric.Value);
        Assert.True(metric.ContainsDiagnostics(d => d.Message.Contains("gave no preference from 0 (A) to 1 (B)", StringComparison.Ordinal)));
    }

    private static List<ChatMessage> Conversation() => [new(ChatRole.User, "Where is my parcel?")];

    private static ChatResponse Answer() => new(new ChatMessage(ChatRole.Assistant, "It left the depot today."));
}
