using Microsoft.AspNetCore.Http;
using Rampart.Analysis.Results;
using Rampart.Core.Events;
using Rampart.Testing;

namespace Rampart.Server.Tests.RedTeam;

/// <summary>
/// A client that hangs up mid-call is not the variant failing: the completion is stored as <c>cancelled</c>, which the
/// results and the guardrails count neither as a request nor as an error, so hanging up cannot trigger a rollback.
/// </summary>
public sealed class CancelledCallTests
{
    private const string Key = "cancelled";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Gateway_ClientAbortsMidCall_CompletionIsCancelledAndTheErrorRateStaysZero(bool stream)
    {
        var slowCalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            using var body = new StreamReader(context.Request.Body);
            if ((await body.ReadToEndAsync()).Contains("slow", StringComparison.Ordinal))
            {
                slowCalled.TrySetResult();
                await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
            }

            await context.Response.WriteAsJsonAsync(new
            {
                id = "c-1", model = "gpt-4", usage = new { prompt_tokens = 3, completion_tokens = 2 },
                choices = new[] { new { index = 0, message = new { role = "assistant", content = "Hello" }, finish_reason = "stop" } },
            });
        });
        await using var sut = await TestHost.StartAsync(
            new Dictionary<string, string?> { ["providers:up:type"] = "openai", ["providers:up:base_url"] = upstream.BaseUrl }, kestrel: true);
        await sut.CreateExperimentAsync(ScriptedUpstream.Experiment(Key, "up"));
        using (var answered = await sut.Ingest.PostAsync("/v1/chat/completions", TestHost.Json(Chat("fast"))))
        {
            answered.EnsureSuccessStatusCode();
        }

        // The client aborts once the call is with the upstream, mid-call: after a fixed time instead, a loaded machine
        // could abort it before it reached the gateway, leaving no completion to count.
        using var abort = new CancellationTokenSource();
        var aborted = sut.Ingest.PostAsync("/v1/chat/completions", TestHost.Json(Chat("slow", stream)), abort.Token);
        await slowCalled.Task.WaitAsync(Eventually.DefaultTimeout);
        await abort.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => aborted);

        var events = await Events.DataPlaneTests.EventuallyAsync(sut, Key, e => e.Count(x => x.Type == EventType.Completion) == 2);
        var completions = events.Where(e => e.Type == EventType.Completion).ToList();
        Assert.Single(completions, e => e.Error is null);
        var cancelled = Assert.Single(completions, e => e.Error is not null);
        Assert.Equal(CancelledCall.Error, cancelled.Error);
        Assert.True(CancelledCall.Is(cancelled));

        var results = ResultsJson.Parse(await sut.Read.GetStringAsync($"/api/experiments/{Key}/results"));
        Assert.Equal(1, results.Variants.Sum(v => v.Requests));
        Assert.Equal(0, results.Variants.Sum(v => v.Errors));
        Assert.All(results.Variants.Where(v => v.Requests > 0), v => Assert.Equal(0, v.ErrorRate));
    }

    [Fact]
    public async Task Gateway_ClientAbortsAStreamAfterItsFirstToken_CancelledCompletionKeepsTheTtftAndTheTextSoFar()
    {
        // Before: the completion of a stream the client left kept only its latency, so what the in-process middleware
        // records (the time to first token, the text so far) was lost on the gateway, whose callers leave most often.
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            var chunk = System.Text.Json.JsonSerializer.Serialize(new
            {
                id = "c-1", @object = "chat.completion.chunk", model = "gpt-4", choices = new[] { new { index = 0, delta = new { content = "Hello" } } },
            });
            await context.Response.WriteAsync($"data: {chunk}\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
        });
        await using var sut = await TestHost.StartAsync(
            new Dictionary<string, string?> { ["providers:up:type"] = "openai", ["providers:up:base_url"] = upstream.BaseUrl }, kestrel: true);
        await sut.CreateExperimentAsync(ScriptedUpstream.Experiment(Key, "up"));

        using (var abort = new CancellationTokenSource())
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = TestHost.Json(Chat("slow", stream: true)) };
            using var response = await sut.Ingest.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, abort.Token);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(abort.Token));
            var first = await reader.ReadLineAsync(abort.Token);
            Assert.Contains("Hello", first, StringComparison.Ordinal);
            await abort.CancelAsync();
        }

        var events = await Events.DataPlaneTests.EventuallyAsync(sut, Key, e => e.Any(x => x.Type == EventType.Completion));
        var cancelled = Assert.Single(events, e => e.Type == EventType.Completion);
        Assert.Equal(CancelledCall.Error, cancelled.Error);
        Assert.Equal("Hello", cancelled.Output);
        Assert.NotNull(cancelled.TtftMs);
        Assert.True(cancelled.LatencyMs >= cancelled.TtftMs, $"latency {cancelled.LatencyMs} ms, ttft {cancelled.TtftMs} ms");
        Assert.Null(cancelled.CostUsd);
    }

    private static string Chat(string content, bool stream = false) =>
        $$"""{"model":"experiment:{{Key}}","user":"u-{{content}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"{{content}}"}]}""";
}
