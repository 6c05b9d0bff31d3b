using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Rampart.Llm.Providers;
using Rampart.Llm.Providers.Anthropic;
using Rampart.Llm.Tests.Fakes;
using Rampart.Testing;

namespace Rampart.Llm.Tests.Providers.Anthropic;

public sealed class AnthropicProviderTests : IDisposable
{
    private const string Message = """
        {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-20250514",
         "content":[{"type":"text","text":"Hello"},{"type":"text","text":" there"}],
         "stop_reason":"max_tokens","stop_sequence":null,
         "usage":{"input_tokens":25,"cache_read_input_tokens":5,"output_tokens":7}}
        """;

    private static readonly string[] StreamEvents =
    [
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_02\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-3-5-haiku-20241022\",\"stop_reason\":null,\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}\n\n",
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
        "event: ping\ndata: {\"type\": \"ping\"}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" world\"}}\n\n",
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":15}}\n\n",
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
    ];

    private readonly HttpClient http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly string keyVariable = "RAMPART_TEST_KEY_" + Guid.NewGuid().ToString("N");
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    public AnthropicProviderTests() => Environment.SetEnvironmentVariable(keyVariable, "sk-ant-test");

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(keyVariable, null);
        http.Dispose();
    }

    [Fact]
    public async Task SendAsync_UsagePartsSumBeyondInt64_PromptTokensAreNullNotTheWrappedSum()
    {
        // (2⁶³−1) + (2⁶³−1) + 3 wraps around to 1: a plausible count that would be stored as if the upstream had said it.
        var message = Message.Replace(
            "\"input_tokens\":25,\"cache_read_input_tokens\":5",
            "\"input_tokens\":9223372036854775807,\"cache_creation_input_tokens\":9223372036854775807,\"cache_read_input_tokens\":3",
            StringComparison.Ordinal);
        await using var upstream = await FakeUpstream.StartAsync(c => Answer(c, 200, "application/json", message));

        var result = await Provider(upstream.BaseUrl).SendAsync(Call(stream: false), new RecordingResponseWriter(), default);

        Assert.Equal((200, (long?)null, (long?)7), (result.StatusCode, result.PromptTokens, result.CompletionTokens));
    }

    [Fact]
    public async Task SendAsync_Json_SendsATranslatedRequestWithTheAnthropicHeaders()
    {
        await using var upstream = await FakeUpstream.StartAsync(c => Answer(c, 200, "application/json", Message));

        await Provider(upstream.BaseUrl).SendAsync(Call(stream: false), new RecordingResponseWriter(), default);

        var request = upstream.SingleRequest;
        Assert.Equal("/v1/messages", request.Path);
        Assert.Equal("sk-ant-test", request.Headers["x-api-key"]);
        Assert.Equal("2023-06-01", request.Headers["anthropic-version"]);
        Assert.False(request.Headers.ContainsKey("authorization"));
        var expected = JsonNode.Parse("""
            {"model":"claude-sonnet-4","system":"Be brief.","messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!"},
                         {"role":"user","content":[{"type":"text","text":"Bye"}]}],
             "max_tokens":1024,"temperature":0.7,"top_p":0.9,"stop_sequences":["END"]}
            """);
        Assert.True(JsonNode.DeepEquals(expected, request.Json), request.Json.ToJsonString());
    }

    [Fact]
    public async Task SendAsync_Json_TranslatesTheAnswerIntoAChatCompletion()
    {
        await using var upstream = await FakeUpstream.StartAsync(c => Answer(c, 200, "application/json", Message));
        var writer = new RecordingResponseWriter();

        var result = await Provider(upstream.BaseUrl).SendAsync(Call(stream: false), writer, default);

        var expected = JsonNode.Parse($$$"""
            {"id":"msg_01","object":"chat.completion","created":{{{time.GetUtcNow().ToUnixTimeSeconds()}}},"model":"claude-sonnet-4-20250514",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Hello there"},"finish_reason":"length"}],
             "usage":{"prompt_tokens":30,"completion_tokens":7,"total_tokens":37}}
            """);
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(writer.Body)), writer.Text);
        Assert.Equal((200, "application/json"), (writer.StatusCode, writer.ContentType));
        Assert.Equal(new ChatCallResult(200, null, 30, 7, null, "claude-sonnet-4-20250514", "Hello there"), result);
    }

    [Fact]
    public async Task SendAsync_Stream_TranslatesEventsIntoChunksEndingWithUsageAndDone()
    {
        await using var upstream = await FakeUpstream.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            foreach (var e in StreamEvents)
            {
                await context.Response.WriteAsync(e);
                await context.Response.Body.FlushAsync();
                await Task.Delay(10);
            }
        });
        var writer = new RecordingResponseWriter();

        var result = await Provider(upstream.BaseUrl).SendAsync(Call(stream: true), writer, default);

        Assert.True(upstream.SingleRequest.Json["stream"]!.GetValue<bool>());
        Assert.Equal((200, "text/event-stream"), (writer.StatusCode, writer.ContentType));
        Assert.Equal("[DONE]", writer.DataLines[^1]);
        var chunks = writer.Chunks;
        Assert.All(chunks, c => Assert.Equal(("msg_02", "chat.completion.chunk", "claude-3-5-haiku-20241022"),
            (c["id"]!.GetValue<string>(), c["object"]!.GetValue<string>(), c["model"]!.GetValue<string>())));
        Assert.Equal("assistant", chunks[0]["choices"]![0]!["delta"]!["role"]!.GetValue<string>());
        Assert.Equal(["", "Hello", " world"], chunks.Select(c => c["choices"]!.AsArray()).Where(a => a.Count > 0)
            .Select(a => (string?)a[0]!["delta"]!["content"]).OfType<string>());
        Assert.Equal("stop", chunks[^2]["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"prompt_tokens":25,"completion_tokens":15,"total_tokens":40}"""), chunks[^1]["usage"]));
        Assert.Empty(chunks[^1]["choices"]!.AsArray());
        Assert.True(writer.Writes.Count >= 5, $"{writer.Writes.Count} writes");
        Assert.Equal((200, (string?)null, 25L, 15L, "Hello world"), (result.StatusCode, result.Error, result.PromptTokens, result.CompletionTokens, result.Output));
        Assert.NotNull(result.TtftMs);
    }

    [Fact]
    public async Task SendAsync_StreamError_SendsOpenAisErrorEnvelopeAndReportsIt()
    {
        await using var upstream = await FakeUpstream.StartAsync(c => Answer(c, 200, "text/event-stream", StreamEvents[0]
            + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"));
        var writer = new RecordingResponseWriter();

        var result = await Provider(upstream.BaseUrl).SendAsync(Call(stream: true), writer, default);

        Assert.Equal((200, "Overloaded"), (result.StatusCode, result.Error));
        Assert.Equal("overloaded_error", writer.Chunks[^1]["error"]!["type"]!.GetValue<string>());
        Assert.DoesNotContain("[DONE]", writer.DataLines);
    }

    [Fact]
    public async Task SendAsync_UpstreamError_ReturnsItsStatusAndMessage()
    {
        await using var upstream = await FakeUpstream.StartAsync(c => Answer(c, 400, "application/json",
            """{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: must be at most 8192"}}"""));
        var writer = new RecordingResponseWriter();

        var result = await Provider(upstream.BaseUrl).SendAsync(Call(stream: false), writer, default);

        Assert.Equal((400, "max_tokens: must be at most 8192"), (result.StatusCode, result.Error));
        Assert.False(writer.HasStarted);
    }

    [Fact]
    public async Task SendAsync_Tools_Returns400WithoutCallingTheUpstream()
    {
        await using var upstream = await FakeUpstream.StartAsync(c => Answer(c, 200, "application/json", Message));
        var call = Call(stream: false);
        call.Body["tools"] = new JsonArray();

        var result = await Provider(upstream.BaseUrl).SendAsync(call, new RecordingResponseWriter(), default);

        Assert.Equal(400, result.StatusCode);
        Assert.Contains("'tools'", result.Error, StringComparison.Ordinal);
        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task SendAsync_ConnectionRefused_Returns502()
    {
        var sut = new AnthropicProvider(http, new ProviderEndpoint("anthropic", new Uri($"http://127.0.0.1:{LoopbackApp.ClosedPort()}"), keyVariable));

        var result = await sut.SendAsync(Call(stream: false), new RecordingResponseWriter(), default);

        Assert.Equal(502, result.StatusCode);
    }

    [Fact]
    public async Task SendAsync_StreamEndsBeforeMessageStop_EndsWithAnErrorEventAndReportsIt()
    {
        await using var upstream = await FakeUpstream.StartAsync(c => Answer(c, 200, "text/event-stream", string.Concat(StreamEvents[..4])));
        var writer = new RecordingResponseWriter();

        var result = await Provider(upstream.BaseUrl).SendAsync(Call(stream: true), writer, default);

        Assert.Contains("ended its stream before message_stop", result.Error, StringComparison.Ordinal);
        Assert.Equal("Hello", result.Output);
        Assert.Equal("upstream_stream_broken", writer.Chunks[^1]["error"]!["code"]!.GetValue<string>());
        Assert.DoesNotContain("[DONE]", writer.DataLines);
    }

    [Fact]
    public async Task SendAsync_JsonOverMaxResponseBytes_Returns502NamingTheLimit()
    {
        await using var upstream = await FakeUpstream.StartAsync(c => Answer(c, 200, "application/json", Message + new string(' ', 4096)));
        var writer = new RecordingResponseWriter();
        var sut = new AnthropicProvider(http, new ProviderEndpoint("anthropic", upstream.BaseUrl, keyVariable), time, limits: new UpstreamLimits { MaxResponseBytes = 2048 });

        var result = await sut.SendAsync(Call(stream: false), writer, default);

        Assert.Equal((502, "upstream_response_too_large"), (result.StatusCode, result.ErrorCode));
        Assert.Contains("gateway.max_response_bytes", result.Error, StringComparison.Ordinal);
        Assert.False(writer.HasStarted);
    }

    private static ChatCall Call(bool stream) => new(
        JsonNode.Parse("""
            {"model":"claude-sonnet-4","temperature":0.7,"top_p":0.9,"stop":"END","presence_penalty":0.5,
             "messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"},
                         {"role":"assistant","content":"Hello!"},{"role":"user","content":[{"type":"text","text":"Bye"}]}]}
            """)!.AsObject(),
        stream,
        TimeSpan.FromSeconds(10));

    private static async Task Answer(HttpContext context, int status, string contentType, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body);
    }

    private AnthropicProvider Provider(Uri baseUrl) => new(http, new ProviderEndpoint("anthropic", baseUrl, keyVariable), time);
}
