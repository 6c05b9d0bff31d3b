using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using OpenAI;
using OpenAI.Chat;
using Rampart.Core.Events;

namespace Rampart.Wire.Tests;

/// <summary>The official OpenAI .NET SDK's <see cref="ChatClient"/> against the gateway on a real port.</summary>
public sealed class DotnetOpenAiClientTests
{
    private static readonly ChatMessage[] Messages = [new SystemChatMessage("Caller prompt"), new UserChatMessage("Where is my order?")];

    [Theory]
    [InlineData(WireScenario.OpenAiExperiment, false)]
    [InlineData(WireScenario.AnthropicExperiment, true)]
    public async Task CompleteChat_NotStreamed_AppliesTheVariantAndReturnsHeadersAndUsage(string experiment, bool anthropic)
    {
        await using var sut = await WireScenario.StartAsync();
        var client = Client(sut, experiment);

        var result = await client.CompleteChatAsync(Messages, new ChatCompletionOptions { EndUserId = "user-51" });

        var response = result.GetRawResponse();
        Assert.Equal(200, response.Status);
        Assert.True(response.Headers.TryGetValue("X-Rampart-Experiment", out var header) && header == experiment);
        Assert.True(response.Headers.TryGetValue("X-Rampart-Variant", out var variant));
        Assert.True(response.Headers.TryGetValue("X-Rampart-Request-Id", out var requestId));
        sut.AssertVariantApplied(variant!, anthropic);
        Assert.Equal(FakeUpstream.Answer, result.Value.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, result.Value.FinishReason);
        Assert.Equal((21, 6), (result.Value.Usage.InputTokenCount, result.Value.Usage.OutputTokenCount));
        var completion = await NodeOpenAiClientTests.CompletionAsync(sut, experiment);
        Assert.Equal((variant, "user-51", requestId), (completion.Variant, completion.Unit, completion.RequestId));
    }

    [Theory]
    [InlineData(WireScenario.OpenAiExperiment, false)]
    [InlineData(WireScenario.AnthropicExperiment, true)]
    public async Task CompleteChatStreaming_Streamed_ArrivesInPiecesWithUsage(string experiment, bool anthropic)
    {
        await using var sut = await WireScenario.StartAsync();
        var client = Client(sut, experiment);
        var clock = Stopwatch.StartNew();
        var pieces = new List<(string Text, long AtMs)>();
        ChatTokenUsage? usage = null;

        var updates = client.CompleteChatStreamingAsync(Messages, new ChatCompletionOptions { EndUserId = "user-52" });
        await foreach (var update in updates)
        {
            pieces.AddRange(update.ContentUpdate.Where(p => p.Text.Length > 0).Select(p => (p.Text, clock.ElapsedMilliseconds)));
            usage = update.Usage ?? usage;
        }

        Assert.Equal(FakeUpstream.Pieces, pieces.Select(p => p.Text));
        Assert.True(pieces[^1].AtMs - pieces[0].AtMs >= 300, $"the pieces arrived within {pieces[^1].AtMs - pieces[0].AtMs} ms");
        Assert.Equal((21, 6), (usage!.InputTokenCount, usage.OutputTokenCount));
        var completion = await NodeOpenAiClientTests.CompletionAsync(sut, experiment);
        Assert.Equal("user-52", completion.Unit);
        sut.AssertVariantApplied(completion.Variant, anthropic);
        Assert.Equal(FakeUpstream.Answer, completion.Output);
        Assert.Null(completion.Error);
    }

    [Fact]
    public async Task CompleteChat_UpstreamFails_ThrowsWithTheUpstreamStatus()
    {
        await using var sut = await WireScenario.StartAsync();
        sut.Upstream.Behavior = UpstreamBehavior.ServerError;

        var error = await Assert.ThrowsAsync<ClientResultException>(() =>
            Client(sut, WireScenario.OpenAiExperiment).CompleteChatAsync(Messages, new ChatCompletionOptions { EndUserId = "user-53" }));

        Assert.Equal(500, error.Status);
        Assert.Contains("upstream exploded", error.Message, StringComparison.Ordinal);
    }

    private static ChatClient Client(WireScenario sut, string experiment) =>
        new OpenAIClient(new ApiKeyCredential(WireHost.IngestKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(sut.Server.Address, "/v1"),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        }).GetChatClient("experiment:" + experiment);
}
