using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Rampart.Llm.Providers;
using Rampart.Llm.Providers.OpenAi;
using Rampart.Llm.Tests.Fakes;
using Rampart.Testing;

namespace Rampart.Llm.Tests.Providers.OpenAi;

public sealed class OpenAiCompatibleProviderTests : IDisposable
{
    // Odd spacing, escapes and field order: any re-serialisation would change these bytes.
    private const string UpstreamJson = """
        {"id":"chatcmpl-1",  "object":"chat.completion","created":1700000000,"model":"gpt-4-0613",
         "choices":[{"index":0,"message":{"role":"assistant","content":"caf\u00e9 \u2615 ok"},"finish_reason":"stop"}],
         "usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17},"system_fingerprint":null, "x":1.50}
        """;

    private readonly HttpClient http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly string keyVariable = "RAMPART_TEST_KEY_" + Guid.NewGuid().ToString("N");

    public OpenAiCompatibleProviderTests() => Environment.SetEnvironmentVariable(keyVariable, "sk-test-secret");

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(keyVariable, null);
        http.Dispose();
    }

    [Fact]
    public async Task SendAsync_Json_RelaysTheUpstreamBytesExactlyAndReadsUsageAndModel()
    {
        await using var upstream = await FakeUpstream.StartAsync(c => Answer(c, 200, "application/json", UpstreamJson));
        var sut = Provider(upstream.BaseUrl);
        var writer = new RecordingResponseWriter();

        var result = await sut.SendAsync(Call(stream: false), writer, default);

        Assert.Equal(Encoding.UTF8.GetBytes(UpstreamJson), writer.Body);
        Assert.Equal((200, "application/json"), (writer.StatusCode, writer.ContentType));
        Assert.Equal(new ChatCallResult(200, null, 12, 5, null, "gpt-4-0613", "café ☕ ok"), result);
    }

    [Fact]
    public async Task SendAsync_Json_PostsTheBodyToChatCompletionsWithTheKeyAsBearer()
    {
        await using var upstream = await FakeUpstream.StartAsync(c => Answer(c, 200, "application/json", UpstreamJson));
        var sut = Provider(new Uri(upstream.BaseUrl, "v1/"));

        var result = await sut.SendAsync(Call(stream: false), new RecordingResponseWriter(), default);

        var request = upstream.SingleRequest;
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("Bearer sk-test-secret", request.Headers["authorization"]);
        Assert.True(JsonNode.DeepEquals(Call(stream: false).Body, request.Json));
        Assert.DoesNotContain("sk-test-secret", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_Stream_AsksForUsageAndRelaysEachChunkAsItArrives()
    {
        var firstRelayed = new TaskCompletionSource();
        long upstreamFinishedAt = 0;
        string[] chunks =
        [
            """data: {"id":"c","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}""" + "\n\n",
            """data: {"id":"c","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{"content":"Hel"}}]}""" + "\n\n",
            """data: {"id":"c","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"stop"}]}""" + "\n\n",
            """data: {"id":"c","object":"chat.completion.chunk","model":"gpt-4o","choices":[],"usage":{"prompt_tokens":21,"completion_tokens":2,"total_tokens":23}}""" + "\n\n",
            "data: [DONE]\n\n",
        ];
        await using var upstream = await FakeUpstream.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync(chunks[0]);
            await context.Response.Body.FlushAsync();
            await firstRelayed.Task.WaitAsync(TimeSpan.FromSeconds(10));
            foreach (var chunk in chunks[1..])
            {
                await Task.Delay(50);
                await context.Response.WriteAsync(chunk);
                await context.Response.Body.FlushAsync();
            }

            upstreamFinishedAt = Stopwatch.GetTimestamp();
        });
        var sut = Provider(upstream.BaseUrl);
        var writer = new RecordingResponseWriter { OnWrite = _ => firstRelayed.TrySetResult() };

        var result = await sut.SendAsync(Call(stream: true), writer, default);

        Assert.Equal(string.Concat(chunks), writer.Text);
        Assert.True(writer.Writes.Count >= 4, $"{writer.Writes.Count} writes");
        Assert.True(writer.FirstWriteAt < upstreamFinishedAt);
        Assert.Equal((200, "text/event-stream"), (writer.StatusCode, writer.ContentType));
        Assert.Equal((200, (string?)null, 21L, 2L, "gpt-4o", "Hello"), (result.StatusCode, result.Error, result.PromptTokens, result.CompletionTokens, result.Model, result.Output));
        Assert.True(result.TtftMs >= 40, $"ttft {result.TtftMs} ms");
        var sent = upstream.SingleRequest.Json;
        Assert.True(sent["stream"]!.GetValue<bool>());
        Assert.True(sent["stream_options"]!["include_usage"]!.GetValue<bool>());
    }

    [Fact]
    public async Task SendAsync_Stream_KeepsTheCallersOtherStreamOptionsAndLeavesItsBodyAlone()
    {
        await using var upstream = await FakeUpstream.StartAsync(c => Answer(c, 200, "text/event-stream", "data: [DONE]\n\n"));
        var call = Call(stream: true);
        call.Body["stream_options"] = new JsonObject { ["x"] = 1 };
        var before = call.Body.ToJsonString();

        await Provider(upstream.BaseUrl).SendAsync(call, new RecordingResponseWriter(), default);

        Assert.Equal("""{"x":1,"include_usage":true}""", upstream.SingleRequest.Json["stream_options"]!.ToJsonString());
        Assert.Equal(before, call.Body.ToJsonString());
    }

    [Fact]
    public async Task SendAsync_Upstream500_ReturnsItsStatusAndMessageAndWritesNothing()
    {
        await using var upstream = await FakeUpstream.StartAsync(c =>
            Answer(c, 500, "application/json", """{"error":{"message":"The server had an error","type":"server_error","code":null}}"""));
        var writer = new RecordingResponseWriter();

        var result = await Provider(upstream.BaseUrl).SendAsync(Call(stream: true), writer, default);

        Assert.Equal((500, "The server had an error"), (result.StatusCode, result.Error));
        Assert.False(writer.HasStarted);
    }

    [Fact]
    public async Task SendAsync_UpstreamTooSlow_Returns504()
    {
        await using var upstream = await FakeUpstream.StartAsync(c => Task.Delay(Timeout.Infinite, c.RequestAborted));
        var writer = new RecordingResponseWriter();

        var result = await Provider(upstream.BaseUrl).SendAsync(Call(stream: false) with { Timeout = TimeSpan.FromMilliseconds(300) }, writer, default);

        Assert.Equal(504, result.StatusCode);
        Assert.Contains("did not answer within 300ms", result.Error, StringComparison.Ordinal);
        Assert.False(writer.HasStarted);
    }

    [Fact]
    public async Task SendAsync_StreamStallsAfterStarting_KeepsTheStartedStatusAndReportsTheTimeout()
    {
        await using var upstream = await FakeUpstream.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("""data: {"choices":[{"index":0,"delta":{"content":"Hi"}}]}""" + "\n\n");
            await context.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        var writer = new RecordingResponseWriter();

        // Long enough for the first chunk to arrive on a loaded machine (at 300 ms it sometimes did not), short enough for a test.
        var result = await Provider(upstream.BaseUrl).SendAsync(Call(stream: true) with { Timeout = TimeSpan.FromSeconds(2) }, writer, default);

        Assert.Equal((200, "Hi"), (result.StatusCode, result.Output));
        Assert.Contains("did not answer within", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_ConnectionRefused_Returns502()
    {
        var sut = Provider(new Uri($"http://127.0.0.1:{LoopbackApp.ClosedPort()}/v1"));
        var writer = new RecordingResponseWriter();

        var result = await sut.SendAsync(Call(stream: false), writer, default);

        Assert.Equal(502, result.StatusCode);
        Assert.StartsWith("Provider 'openai' is unreachable", result.Error, StringComparison.Ordinal);
        Assert.False(writer.HasStarted);
    }

    [Theory]
    [InlineData("{\"id\":\"x\",")]
    [InlineData("<html>Bad gateway</html>")]
    [InlineData("[1,2]")]
    public async Task SendAsync_MalformedJson_Returns502WithAClearErrorAndWritesNothing(string body)
    {
        await using var upstream = await FakeUpstream.StartAsync(c => Answer(c, 200, "application/json", body));
        var writer = new RecordingResponseWriter();

        var result = await Provider(upstream.BaseUrl).SendAsync(Call(stream: false), writer, default);

        Assert.Equal(502, result.StatusCode);
        Assert.StartsWith("Provider 'openai' answered with malformed JSON", result.Error, StringComparison.Ordinal);
        Assert.False(writer.HasStarted);
    }

    [Fact]
    public async Task SendAsync_KeyVariableNotSet_Returns500NamingTheVariableOnlyInTheDetailWithoutCalling()
    {
        await using var upstream = await FakeUpstream.StartAsync(c => Answer(c, 200, "application/json", UpstreamJson));
        var variable = "RAMPART_TEST_UNSET_" + Guid.NewGuid().ToString("N");
        var sut = new OpenAiCompatibleProvider(http, new ProviderEndpoint("openai", upstream.BaseUrl, variable));

        var result = await sut.SendAsync(Call(stream: false), new RecordingResponseWriter(), default);

        Assert.Equal(500, result.StatusCode);
        Assert.Contains("providers.openai.api_key_env", result.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(variable, result.Error, StringComparison.Ordinal);
        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task SendAsync_CallerCancels_Throws()
    {
        await using var upstream = await FakeUpstream.StartAsync(c => Task.Delay(Timeout.Infinite, c.RequestAborted));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Provider(upstream.BaseUrl).SendAsync(Call(stream: false), new RecordingResponseWriter(), cancel.Token));
    }

    [Fact]
    public void WireBody_NotStreamedButBodySaysStream_DropsStreamSoTheAnswerIsJson()
    {
        var call = Call(stream: false);
        call.Body["stream"] = true;

        var sut = OpenAiCompatibleProvider.WireBody(call);

        Assert.Null(sut["stream"]);
        Assert.True(call.Body["stream"]!.GetValue<bool>());
    }

    [Fact]
    public async Task SendAsync_JsonOverMaxResponseBytes_Returns502NamingTheLimitAndWritesNothing()
    {
        await using var upstream = await FakeUpstream.StartAsync(async c =>
        {
            c.Response.ContentType = "application/json";
            await c.Response.WriteAsync("{\"choices\":[{\"message\":{\"content\":\"" + new string('x', 20_000) + "\"}}]}");
        });
        var writer = new RecordingResponseWriter();
        var sut = new OpenAiCompatibleProvider(http, new ProviderEndpoint("openai", upstream.BaseUrl, keyVariable), limits: new UpstreamLimits { MaxResponseBytes = 10_000 });

        var result = await sut.SendAsync(Call(stream: false), writer, default);

        Assert.Equal((502, "upstream_response_too_large"), (result.StatusCode, result.ErrorCode));
        Assert.Contains("more than 10000 bytes", result.Error, StringComparison.Ordinal);
        Assert.Contains("gateway.max_response_bytes", result.Error, StringComparison.Ordinal);
        Assert.False(writer.HasStarted);
    }

    [Fact]
    public async Task SendAsync_StreamLineOverTheLimitFirst_Returns502WithoutStarting()
    {
        await using var upstream = await FakeUpstream.StartAsync(c => Answer(c, 200, "text/event-stream", "data: " + new string('x', 5000)));
        var writer = new RecordingResponseWriter();
        var sut = new OpenAiCompatibleProvider(http, new ProviderEndpoint("openai", upstream.BaseUrl, keyVariable), limits: new UpstreamLimits { MaxStreamLineBytes = 2048 });

        var result = await sut.SendAsync(Call(stream: true), writer, default);

        Assert.Equal((502, "upstream_response_too_large"), (result.StatusCode, result.ErrorCode));
        Assert.Contains("gateway.max_stream_line_bytes", result.Error, StringComparison.Ordinal);
        Assert.False(writer.HasStarted);
    }

    [Fact]
    public async Task SendAsync_StreamBrokenOffMidAnswer_EndsWithAnErrorEventAndReportsTheFailure()
    {
        await using var upstream = await FakeUpstream.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("""data: {"choices":[{"index":0,"delta":{"content":"Hel"}}]}""" + "\n\ndata: {\"choi");
            await context.Response.Body.FlushAsync();
            await Task.Delay(200); // the chunk arrives before the connection breaks (a reset may discard unread data)
            context.Abort();
        });
        var writer = new RecordingResponseWriter();

        var result = await Provider(upstream.BaseUrl).SendAsync(Call(stream: true), writer, default);

        Assert.Equal((200, "Hel"), (result.StatusCode, result.Output));
        Assert.NotNull(result.Error);
        Assert.StartsWith("""data: {"choices":[{"index":0,"delta":{"content":"Hel"}}]}""" + "\n\n", writer.Text, StringComparison.Ordinal);
        var last = writer.Chunks[^1]["error"]!;
        Assert.Equal("upstream_stream_broken", last["code"]!.GetValue<string>());
        Assert.DoesNotContain("choi", writer.Text[^30..], StringComparison.Ordinal); // the partial line is not relayed
    }

    [Fact]
    public async Task SendAsync_StreamEndsWithoutDone_EndsWithAnErrorEvent()
    {
        await using var upstream = await FakeUpstream.StartAsync(c =>
            Answer(c, 200, "text/event-stream", """data: {"choices":[{"index":0,"delta":{"content":"Hi"}}]}""" + "\n\n"));
        var writer = new RecordingResponseWriter();

        var result = await Provider(upstream.BaseUrl).SendAsync(Call(stream: true), writer, default);

        Assert.Contains("ended its stream before [DONE]", result.Error, StringComparison.Ordinal);
        Assert.Equal("upstream_stream_broken", writer.Chunks[^1]["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task SendAsync_StreamEndsWithDoneWithoutALineBreak_IsWholeAndRelayedAsSent()
    {
        var body = """data: {"choices":[{"index":0,"delta":{"content":"Hi"}}]}""" + "\n\ndata: [DONE]";
        await using var upstream = await FakeUpstream.StartAsync(c => Answer(c, 200, "text/event-stream", body));
        var writer = new RecordingResponseWriter();

        var result = await Provider(upstream.BaseUrl).SendAsync(Call(stream: true), writer, default);

        Assert.Equal((200, (string?)null, "Hi"), (result.StatusCode, result.Error, result.Output));
        Assert.Equal(body, writer.Text);
    }

    [Fact]
    public async Task SendAsync_MalformedChunk_IsNotRelayedAndTheStreamEndsWithAnErrorEvent()
    {
        await using var upstream = await FakeUpstream.StartAsync(c => Answer(c, 200, "text/event-stream",
            """data: {"choices":[{"index":0,"delta":{"content":"Hi"}}]}""" + "\n\ndata: {not json\n\n" + """data: {"choices":[{"index":0,"delta":{"content":" more"}}]}""" + "\n\ndata: [DONE]\n\n"));
        var writer = new RecordingResponseWriter();

        var result = await Provider(upstream.BaseUrl).SendAsync(Call(stream: true), writer, default);

        Assert.Contains("malformed stream chunk", result.Error, StringComparison.Ordinal);
        Assert.Equal("Hi", result.Output);
        Assert.DoesNotContain("not json", writer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", writer.Text, StringComparison.Ordinal);
        Assert.Equal(2, writer.Chunks.Count);
        Assert.NotNull(writer.Chunks[^1]["error"]);
    }

    [Fact]
    public async Task SendAsync_HugeErrorBody_ReadsNoMoreThanTheLimit()
    {
        var piece = Encoding.ASCII.GetBytes(new string('e', 64 * 1024));
        await using var upstream = await FakeUpstream.StartAsync(async c =>
        {
            c.Response.StatusCode = 500;
            try
            {
                for (var i = 0; i < 1600 && !c.RequestAborted.IsCancellationRequested; i++) // 100 MiB, unless the reader hangs up first
                {
                    await c.Response.Body.WriteAsync(piece, c.RequestAborted);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                // The reader hung up: what this test expects.
            }
        });
        using var counting = new ByteCountingHandler();
        using var client = new HttpClient(counting, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        var sut = new OpenAiCompatibleProvider(client, new ProviderEndpoint("openai", upstream.BaseUrl, keyVariable), limits: new UpstreamLimits { MaxErrorBodyBytes = 4096 });

        var result = await sut.SendAsync(Call(stream: false), new RecordingResponseWriter(), default);

        Assert.Equal(500, result.StatusCode);
        Assert.StartsWith("eeee", result.Error, StringComparison.Ordinal);
        Assert.True(result.Error!.Length <= 501, $"{result.Error.Length} characters");
        Assert.InRange(counting.BytesRead, 4096, 4097); // the limit, and one byte to tell a longer body
    }

    [Fact]
    public async Task SendAsync_LongStream_KeepsOutputUpToTheLimitWithAMarker()
    {
        var chunk = """data: {"choices":[{"index":0,"delta":{"content":"0123456789"}}]}""" + "\n\n";
        await using var upstream = await FakeUpstream.StartAsync(c => Answer(c, 200, "text/event-stream",
            string.Concat(Enumerable.Repeat(chunk, 1000)) + """data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""" + "\n\ndata: [DONE]\n\n"));
        var writer = new RecordingResponseWriter();
        var sut = new OpenAiCompatibleProvider(http, new ProviderEndpoint("openai", upstream.BaseUrl, keyVariable), limits: new UpstreamLimits { MaxStoredOutputChars = 2048 });

        var result = await sut.SendAsync(Call(stream: true), writer, default);

        Assert.Null(result.Error);
        Assert.Equal(string.Concat(Enumerable.Repeat("0123456789", 205))[..2048] + UpstreamLimits.TruncatedMarker, result.Output);
        Assert.Equal(1001, writer.Chunks.Count); // the caller still gets every chunk
    }

    private static ChatCall Call(bool stream) => new(
        new JsonObject
        {
            ["model"] = "gpt-4",
            ["temperature"] = 0.7,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Hi" }),
        },
        stream,
        TimeSpan.FromSeconds(10));

    private static async Task Answer(HttpContext context, int status, string contentType, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body);
    }

    private OpenAiCompatibleProvider Provider(Uri baseUrl) => new(http, new ProviderEndpoint("openai", baseUrl, keyVariable));
}
