using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rampart.Testing;

namespace Rampart.Wire.Tests;

/// <summary>How the fake upstream answers.</summary>
public enum UpstreamBehavior
{
    /// <summary>A normal answer (JSON, or SSE chunks with <see cref="FakeUpstream.ChunkDelay"/> between them).</summary>
    Answer,

    /// <summary>HTTP 500 with the provider's error body.</summary>
    ServerError,

    /// <summary>Sleeps 10 s before answering (longer than any timeout the tests configure).</summary>
    Hang,

    /// <summary>200 with a body that is not JSON.</summary>
    Malformed,

    /// <summary>A stream that sends its first piece and then drops the connection.</summary>
    BreakMidStream,
}

/// <summary>
/// A fake model API on a real Kestrel port of 127.0.0.1: OpenAI's <c>POST /v1/chat/completions</c> and Anthropic's
/// <c>POST /v1/messages</c>, streaming and not. It records every request body it got.
/// </summary>
public sealed class FakeUpstream : IAsyncDisposable
{
    public const string Answer = "Your order ships tomorrow.";
    public static readonly string[] Pieces = ["Your ", "order ", "ships ", "tomorrow."];

    private readonly WebApplication app;

    private FakeUpstream(WebApplication app) => this.app = app;

    public UpstreamBehavior Behavior { get; set; } = UpstreamBehavior.Answer;

    public TimeSpan ChunkDelay { get; set; } = TimeSpan.FromMilliseconds(150);

    /// <summary>The request bodies received, in order.</summary>
    public ConcurrentQueue<JsonObject> Requests { get; } = new();

    public Uri Address { get; private set; } = null!;

    public static async Task<FakeUpstream> StartAsync()
    {
        var app = LoopbackApp.Create();
        var sut = new FakeUpstream(app);
        app.MapPost("/v1/chat/completions", sut.OpenAiAsync);
        app.MapPost("/v1/messages", sut.AnthropicAsync);
        sut.Address = await LoopbackApp.StartAsync(app);
        return sut;
    }

    /// <summary>The one request the upstream got.</summary>
    public JsonObject OnlyRequest()
    {
        Assert.Single(Requests);
        Requests.TryPeek(out var request);
        return request!;
    }

    private async Task<bool> FailedAsync(HttpContext context, string errorJson)
    {
        switch (Behavior)
        {
            case UpstreamBehavior.ServerError:
                context.Response.StatusCode = 500;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(errorJson);
                return true;
            case UpstreamBehavior.Hang:
                await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return true;
            case UpstreamBehavior.Malformed:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("<html>not json</html>");
                return true;
            default:
                return false;
        }
    }

    private async Task<JsonObject> ReadAsync(HttpContext context)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        Requests.Enqueue(body);
        return body;
    }

    private async Task OpenAiAsync(HttpContext context)
    {
        var body = await ReadAsync(context);
        if (await FailedAsync(context, """{"error":{"message":"upstream exploded","type":"server_error","code":null}}"""))
        {
            return;
        }

        var model = body["model"]!.GetValue<string>();
        if (body["stream"]?.GetValue<bool>() != true)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($$$"""
                {"id":"chatcmpl-fake","object":"chat.completion","created":1764000000,"model":"{{{model}}}",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"{{{Answer}}}"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":21,"completion_tokens":6,"total_tokens":27}}
                """);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        string Chunk(string delta, string finish = "null") =>
            $$"""{"id":"chatcmpl-fake","object":"chat.completion.chunk","created":1764000000,"model":"{{model}}","choices":[{"index":0,"delta":{{delta}},"finish_reason":{{finish}}}]}""";
        await SendAsync(context, null, Chunk("""{"role":"assistant","content":""}"""));
        foreach (var piece in Pieces)
        {
            await Task.Delay(ChunkDelay);
            await SendAsync(context, null, Chunk($$"""{"content":"{{piece}}"}"""));
            if (Behavior == UpstreamBehavior.BreakMidStream)
            {
                context.Abort();
                return;
            }
        }

        await SendAsync(context, null, Chunk("{}", "\"stop\""));
        if (body["stream_options"]?["include_usage"]?.GetValue<bool>() == true)
        {
            await SendAsync(context, null, $$$"""{"id":"chatcmpl-fake","object":"chat.completion.chunk","created":1764000000,"model":"{{{model}}}","choices":[],"usage":{"prompt_tokens":21,"completion_tokens":6,"total_tokens":27}}""");
        }

        await SendAsync(context, null, "[DONE]");
    }

    private async Task AnthropicAsync(HttpContext context)
    {
        var body = await ReadAsync(context);
        if (await FailedAsync(context, """{"type":"error","error":{"type":"api_error","message":"upstream exploded"}}"""))
        {
            return;
        }

        var model = body["model"]!.GetValue<string>();
        if (body["stream"]?.GetValue<bool>() != true)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($$$"""
                {"id":"msg_fake","type":"message","role":"assistant","model":"{{{model}}}",
                 "content":[{"type":"text","text":"{{{Answer}}}"}],"stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":21,"output_tokens":6}}
                """);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        await SendAsync(context, "message_start", $$$$"""{"type":"message_start","message":{"id":"msg_fake","type":"message","role":"assistant","model":"{{{{model}}}}","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":21,"output_tokens":1}}}""");
        await SendAsync(context, "content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""");
        foreach (var piece in Pieces)
        {
            await Task.Delay(ChunkDelay);
            await SendAsync(context, "content_block_delta", $$$"""{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"{{{piece}}}"}}""");
            if (Behavior == UpstreamBehavior.BreakMidStream)
            {
                context.Abort();
                return;
            }
        }

        await SendAsync(context, "content_block_stop", """{"type":"content_block_stop","index":0}""");
        await SendAsync(context, "message_delta", """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":6}}""");
        await SendAsync(context, "message_stop", """{"type":"message_stop"}""");
    }

    private static async Task SendAsync(HttpContext context, string? eventName, string data)
    {
        var text = (eventName is null ? "" : $"event: {eventName}\n") + $"data: {data}\n\n";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text));
        await context.Response.Body.FlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
