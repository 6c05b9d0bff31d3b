using System.Text.Json;
using Rampart.Core.Events;

namespace Rampart.Wire.Tests;

/// <summary>The official <c>openai</c> npm package, which nobody here wrote, against the gateway on a real port.</summary>
public sealed class NodeOpenAiClientTests
{
    [Theory]
    [InlineData(WireScenario.OpenAiExperiment, false)]
    [InlineData(WireScenario.AnthropicExperiment, true)]
    public async Task ChatCompletionsCreate_NotStreamed_AppliesTheVariantAndReturnsHeadersAndUsage(string experiment, bool anthropic)
    {
        await using var sut = await WireScenario.StartAsync();

        var answer = await NodeClient.ChatAsync(sut.Server.Address, "experiment:" + experiment, "user-42", stream: false);

        Assert.True(answer.GetProperty("ok").GetBoolean(), answer.ToString());
        Assert.Equal(200, answer.GetProperty("status").GetInt32());
        var headers = answer.GetProperty("headers");
        Assert.Equal(experiment, headers.GetProperty("x-rampart-experiment").GetString());
        var variant = headers.GetProperty("x-rampart-variant").GetString()!;
        var requestId = headers.GetProperty("x-rampart-request-id").GetString();
        Assert.True(Guid.TryParse(requestId, out _));
        sut.AssertVariantApplied(variant, anthropic);
        Assert.Equal(FakeUpstream.Answer, answer.GetProperty("content").GetString());
        Assert.Equal("stop", answer.GetProperty("finish_reason").GetString());
        Assert.Equal(WireScenario.Expected(variant).Model, answer.GetProperty("model").GetString());
        Assert.Equal((21, 6), (answer.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(), answer.GetProperty("usage").GetProperty("completion_tokens").GetInt32()));
        var completion = await CompletionAsync(sut, experiment);
        Assert.Equal((variant, "user-42", requestId, 21L, 6L), (completion.Variant, completion.Unit, completion.RequestId, completion.PromptTokens!.Value, completion.CompletionTokens!.Value));
        Assert.Null(completion.Error);
    }

    [Theory]
    [InlineData(WireScenario.OpenAiExperiment, false)]
    [InlineData(WireScenario.AnthropicExperiment, true)]
    public async Task ChatCompletionsCreate_Streamed_ArrivesInPiecesAsTheUpstreamSendsThem(string experiment, bool anthropic)
    {
        await using var sut = await WireScenario.StartAsync();

        var answer = await NodeClient.ChatAsync(sut.Server.Address, "experiment:" + experiment, "user-43", stream: true);

        Assert.True(answer.GetProperty("ok").GetBoolean(), answer.ToString());
        var headers = answer.GetProperty("headers");
        Assert.Equal(experiment, headers.GetProperty("x-rampart-experiment").GetString());
        var variant = headers.GetProperty("x-rampart-variant").GetString()!;
        sut.AssertVariantApplied(variant, anthropic);
        Assert.Equal(FakeUpstream.Answer, answer.GetProperty("content").GetString());
        Assert.Equal((21, 6), (answer.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(), answer.GetProperty("usage").GetProperty("completion_tokens").GetInt32()));
        var pieces = answer.GetProperty("chunks").EnumerateArray().Where(c => c.GetProperty("content").GetString()!.Length > 0).ToList();
        Assert.Equal(FakeUpstream.Pieces, pieces.Select(c => c.GetProperty("content").GetString()));
        // The upstream waits 150 ms before each piece: relayed as they come, they reach the client spread out, not at once.
        var spread = pieces[^1].GetProperty("at_ms").GetInt32() - pieces[0].GetProperty("at_ms").GetInt32();
        Assert.True(spread >= 300, $"the pieces arrived within {spread} ms: {answer}");
        var completion = await CompletionAsync(sut, experiment);
        Assert.Equal(headers.GetProperty("x-rampart-request-id").GetString(), completion.RequestId);
        Assert.Equal((21L, 6L), (completion.PromptTokens!.Value, completion.CompletionTokens!.Value));
        Assert.Equal(FakeUpstream.Answer, completion.Output);
        Assert.True(completion.TtftMs > 100 && completion.LatencyMs > completion.TtftMs, $"ttft {completion.TtftMs}, latency {completion.LatencyMs}");
        Assert.Null(completion.Error);
    }

    [Fact]
    public async Task ChatCompletionsCreate_UpstreamFails_ClientSeesTheUpstreamStatusAndMessage()
    {
        await using var sut = await WireScenario.StartAsync();
        sut.Upstream.Behavior = UpstreamBehavior.ServerError;

        var answer = await NodeClient.ChatAsync(sut.Server.Address, "experiment:" + WireScenario.OpenAiExperiment, "user-44", stream: false);

        Assert.False(answer.GetProperty("ok").GetBoolean());
        Assert.Equal(500, answer.GetProperty("status").GetInt32());
        Assert.Contains("upstream exploded", answer.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatCompletionsCreate_DraftExperiment_AnswersTheControlMarkedNotStartedAndRecordsNothing()
    {
        await using var sut = await WireScenario.StartAsync();
        const string draft = "wire-draft";
        using (var created = await sut.Server.Admin.PostAsync("/api/experiments", WireHost.Json(WireScenario.Experiment(draft, "up-openai"))))
        {
            Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        }

        var answer = await NodeClient.ChatAsync(sut.Server.Address, "experiment:" + draft, "user-45", stream: false);

        Assert.True(answer.GetProperty("ok").GetBoolean(), answer.ToString());
        var headers = answer.GetProperty("headers");
        Assert.Equal(("control", "not_started"), (headers.GetProperty("x-rampart-variant").GetString(), headers.GetProperty("x-rampart-assignment").GetString()));
        Assert.Equal(FakeUpstream.Answer, answer.GetProperty("content").GetString());

        // A running experiment's call after it is stored once the writer reaches it; the draft's call never is.
        var running = await NodeClient.ChatAsync(sut.Server.Address, "experiment:" + WireScenario.OpenAiExperiment, "user-45", stream: false);
        Assert.Equal("allocated", running.GetProperty("headers").GetProperty("x-rampart-assignment").GetString());
        await CompletionAsync(sut, WireScenario.OpenAiExperiment);
        Assert.Empty(await sut.Server.EventuallyAsync(draft, _ => true));
    }

    [Fact]
    public async Task ModelsListAndUnservedPaths_AnswerWhatTheClientUnderstands()
    {
        await using var sut = await WireScenario.StartAsync();

        var answer = await NodeClient.ModelsAsync(sut.Server.Address, "experiment:" + WireScenario.OpenAiExperiment);

        var models = answer.GetProperty("models");
        Assert.True(models.GetProperty("ok").GetBoolean(), answer.ToString());
        Assert.Equal(
            ["experiment:" + WireScenario.AnthropicExperiment, "experiment:" + WireScenario.OpenAiExperiment],
            models.GetProperty("value").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        Assert.All(models.GetProperty("value").EnumerateArray(), m => Assert.Equal("rampart", m.GetProperty("owned_by").GetString()));
        var retrieved = answer.GetProperty("retrieved");
        Assert.True(retrieved.GetProperty("ok").GetBoolean(), answer.ToString());
        Assert.Equal("experiment:" + WireScenario.OpenAiExperiment, retrieved.GetProperty("value").GetProperty("id").GetString());
        foreach (var (name, code) in new[] { ("missing", "model_not_found"), ("embeddings", "unknown_url"), ("responses", "unknown_url") })
        {
            var failed = answer.GetProperty(name);
            Assert.False(failed.GetProperty("ok").GetBoolean(), answer.ToString());
            Assert.Equal((404, "NotFoundError", code), (failed.GetProperty("status").GetInt32(), failed.GetProperty("kind").GetString(), failed.GetProperty("error").GetProperty("code").GetString()));
        }
    }

    internal static async Task<ExperimentEvent> CompletionAsync(WireScenario sut, string experiment)
    {
        var events = await sut.Server.EventuallyAsync(experiment, e => e.Any(x => x.Type == EventType.Completion));
        return Assert.Single(events, e => e.Type == EventType.Completion);
    }
}
