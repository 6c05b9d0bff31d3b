using System.Net;
using System.Text.Json;
using Rampart.Core.Events;

namespace Rampart.Wire.Tests;

/// <summary>
/// Failures of a real upstream over HTTP (Rampart.Server.Tests covers the simulated ones): each call still yields
/// exactly one completion event with its latency and error, and the client gets the status in OpenAI's envelope.
/// </summary>
public sealed class FailedCallTests
{
    [Theory]
    [InlineData(UpstreamBehavior.ServerError, WireScenario.OpenAiExperiment, 500, "upstream exploded")]
    [InlineData(UpstreamBehavior.ServerError, WireScenario.AnthropicExperiment, 500, "upstream exploded")]
    [InlineData(UpstreamBehavior.Hang, WireScenario.OpenAiExperiment, 504, "did not answer within")]
    [InlineData(UpstreamBehavior.Hang, WireScenario.AnthropicExperiment, 504, "did not answer within")]
    [InlineData(UpstreamBehavior.Malformed, WireScenario.OpenAiExperiment, 502, "malformed JSON")]
    [InlineData(UpstreamBehavior.Malformed, WireScenario.AnthropicExperiment, 502, "malformed JSON")]
    public async Task ChatCompletions_UpstreamFails_AnswersItsStatusInTheEnvelopeAndLogsOneCompletion(UpstreamBehavior behavior, string experiment, int status, string error)
    {
        await using var sut = await WireScenario.StartAsync();
        sut.Upstream.Behavior = behavior;

        await AssertFailedCallAsync(sut, experiment, status, error);
    }

    [Theory]
    [InlineData(UpstreamBehavior.ServerError, WireScenario.OpenAiExperiment, 500, "upstream exploded")]
    [InlineData(UpstreamBehavior.ServerError, WireScenario.AnthropicExperiment, 500, "upstream exploded")]
    [InlineData(UpstreamBehavior.Hang, WireScenario.OpenAiExperiment, 504, "did not answer within")]
    [InlineData(UpstreamBehavior.Hang, WireScenario.AnthropicExperiment, 504, "did not answer within")]
    public async Task ChatCompletions_StreamedAndUpstreamFailsBeforeAnswering_AnswersItsStatusInTheEnvelopeAndLogsOneCompletion(UpstreamBehavior behavior, string experiment, int status, string error)
    {
        await using var sut = await WireScenario.StartAsync();
        sut.Upstream.Behavior = behavior;

        await AssertFailedCallAsync(sut, experiment, status, error, stream: true);
    }

    [Theory]
    [InlineData(WireScenario.OpenAiExperiment)]
    [InlineData(WireScenario.AnthropicExperiment)]
    public async Task ChatCompletions_StreamBreaksAfterItStarted_KeepsTheStartedStatusAndLogsOneCompletionWithTheError(string experiment)
    {
        await using var sut = await WireScenario.StartAsync();
        sut.Upstream.Behavior = UpstreamBehavior.BreakMidStream;

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = WireHost.Json($$"""{"model":"experiment:{{experiment}}","user":"user-8","stream":true,"messages":[{"role":"user","content":"Hi"}]}"""),
        };
        using var response = await sut.Server.Ingest.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        try
        {
            await response.Content.ReadAsStringAsync(); // the relayed first piece, then the end (or a broken connection)
        }
        catch (HttpRequestException)
        {
        }
        catch (IOException)
        {
        }

        await sut.Server.EventuallyAsync(experiment, e => e.Any(x => x.Type == EventType.Completion));
        await Task.Delay(300);
        var events = await sut.Server.EventuallyAsync(experiment, _ => true);
        var completion = Assert.Single(events, e => e.Type == EventType.Completion);
        Assert.False(string.IsNullOrEmpty(completion.Error));
        Assert.True(completion.LatencyMs > 0);
    }

    [Fact]
    public async Task ChatCompletions_UpstreamRefusesTheConnection_Is502AndLogsOneCompletion()
    {
        await using var sut = await WireScenario.StartAsync();
        await sut.Server.CreateExperimentAsync(WireScenario.Experiment("wire-refused", "refused"));

        await AssertFailedCallAsync(sut, "wire-refused", 502, "unreachable");
    }

    private static async Task AssertFailedCallAsync(WireScenario sut, string experiment, int status, string error, bool stream = false)
    {
        using var response = await sut.Server.Ingest.PostAsync("/v1/chat/completions", WireHost.Json($$"""
            {"model":"experiment:{{experiment}}","user":"user-9","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"Where is my order?"}]}
            """));

        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var envelope = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Contains(error, envelope.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.String, envelope.GetProperty("type").ValueKind);
        Assert.True(envelope.TryGetProperty("code", out _));
        var requestId = Assert.Single(response.Headers.GetValues("X-Rampart-Request-Id"));
        var variant = Assert.Single(response.Headers.GetValues("X-Rampart-Variant"));

        await sut.Server.EventuallyAsync(experiment, e => e.Any(x => x.Type == EventType.Completion));
        await Task.Delay(300); // a second completion, were one written, would have landed by now
        var events = await sut.Server.EventuallyAsync(experiment, _ => true);
        var completion = Assert.Single(events, e => e.Type == EventType.Completion);
        Assert.Single(events, e => e.Type == EventType.Exposure);
        Assert.Equal((requestId, variant, "user-9"), (completion.RequestId, completion.Variant, completion.Unit));
        Assert.Contains(error, completion.Error, StringComparison.Ordinal);
        Assert.True(completion.LatencyMs > 0, $"latency {completion.LatencyMs}");
        if (status == 504)
        {
            Assert.InRange(completion.LatencyMs!.Value, 1900, 9000); // the provider's 2 s timeout
        }
    }
}
