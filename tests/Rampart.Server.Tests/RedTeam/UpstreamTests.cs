using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rampart.Core.Events;
using Rampart.Server.Tests.Alerts;
using Rampart.Testing;

namespace Rampart.Server.Tests.RedTeam;

/// <summary>
/// What an upstream can make the gateway do or say: follow a redirect (with the API key), reflect the key back, or
/// have its address and the key's variable name shown to ingest clients.
/// </summary>
public sealed class UpstreamTests
{
    private const string Key = "upstream";
    private const string Chat = """{"model":"experiment:upstream","user":"u-1","messages":[{"role":"user","content":"Hi"}]}""";

    private static Task<TestHost> ServerAsync(string baseUrl, CapturedLog log, string? keyVariable = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["providers:up:type"] = "openai",
            ["providers:up:base_url"] = baseUrl,
            ["providers:up:timeout"] = "5s",
        };
        if (keyVariable is not null)
        {
            settings["providers:up:api_key_env"] = keyVariable;
        }

        return TestHost.StartAsync(settings, services => services.AddLogging(l => l.AddProvider(log)), kestrel: true);
    }

    [Fact]
    public async Task Gateway_UpstreamRedirects_Is502AndTheTargetIsNeverCalled()
    {
        await using var target = await ScriptedUpstream.StartAsync(context => context.Response.WriteAsJsonAsync(new { ok = true }));
        await using var upstream = await ScriptedUpstream.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = target.BaseUrl + "/chat/completions";
            return Task.CompletedTask;
        });
        using var log = new CapturedLog();
        await using var sut = await ServerAsync(upstream.BaseUrl, log);
        await sut.CreateExperimentAsync(ScriptedUpstream.Experiment(Key, "up"));

        using var response = await sut.Ingest.PostAsync("/v1/chat/completions", TestHost.Json(Chat));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("redirect", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, upstream.Hits);
        Assert.Equal(0, target.Hits);
        var completion = (await Events.DataPlaneTests.EventuallyAsync(sut, Key, e => e.Count == 2)).Single(e => e.Type == EventType.Completion);
        Assert.Contains("redirect", completion.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StatusCodes.Status401Unauthorized)]
    [InlineData(StatusCodes.Status200OK)]
    public async Task Gateway_UpstreamEchoesTheApiKey_NeitherClientNorEventNorLogSeesIt(int status)
    {
        var variable = $"RAMPART_REDTEAM_ECHO_{status}";
        var secret = $"sk-redteam-{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, secret);
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            var authorization = context.Request.Headers.Authorization.ToString();
            context.Response.StatusCode = status;
            context.Response.Headers["X-Echo-Authorization"] = authorization;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(status == 200
                ? JsonSerializer.Serialize(new { id = "c-1", model = "gpt-4", choices = new[] { new { index = 0, message = new { role = "assistant", content = $"you sent {authorization}" }, finish_reason = "stop" } } })
                : JsonSerializer.Serialize(new { error = new { message = $"Incorrect API key provided: {authorization}", type = "invalid_request_error" } }));
        });
        using var log = new CapturedLog();
        await using var sut = await ServerAsync(upstream.BaseUrl, log, variable);
        await sut.CreateExperimentAsync(ScriptedUpstream.Experiment(Key, "up"));

        using var response = await sut.Ingest.PostAsync("/v1/chat/completions", TestHost.Json(Chat));

        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
        Assert.Contains("[redacted]", body, StringComparison.Ordinal);
        Assert.DoesNotContain(response.Headers.Concat(response.Content.Headers), h => h.Value.Any(v => v.Contains(secret, StringComparison.Ordinal)));
        var events = await Events.DataPlaneTests.EventuallyAsync(sut, Key, e => e.Count == 2);
        Assert.DoesNotContain(events, e => JsonSerializer.Serialize(e).Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(log.Entries, e => e.Message.Contains(secret, StringComparison.Ordinal));
        Assert.Equal(1, upstream.Hits);
    }

    [Fact]
    public async Task Gateway_UpstreamEchoesTheApiKeyInAStream_NeitherClientNorEventNorLogSeesIt()
    {
        const string variable = "RAMPART_REDTEAM_ECHO_STREAM";
        var secret = $"sk-redteam-{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, secret);
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            var authorization = context.Request.Headers.Authorization.ToString();
            context.Response.ContentType = "text/event-stream";
            var chunk = JsonSerializer.Serialize(new { id = "c-1", @object = "chat.completion.chunk", model = "gpt-4", choices = new[] { new { index = 0, delta = new { content = $"you sent {authorization}" } } } });
            var last = JsonSerializer.Serialize(new { id = "c-1", @object = "chat.completion.chunk", model = "gpt-4", choices = new[] { new { index = 0, delta = new { }, finish_reason = "stop" } } });
            await context.Response.WriteAsync($"data: {chunk}\n\ndata: {last}\n\ndata: [DONE]\n\n");
        });
        using var log = new CapturedLog();
        await using var sut = await ServerAsync(upstream.BaseUrl, log, variable);
        await sut.CreateExperimentAsync(ScriptedUpstream.Experiment(Key, "up"));

        using var response = await sut.Ingest.PostAsync("/v1/chat/completions",
            TestHost.Json("""{"model":"experiment:upstream","user":"u-1","stream":true,"messages":[{"role":"user","content":"Hi"}]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
        Assert.Contains("you sent Bearer [redacted]", body, StringComparison.Ordinal);
        Assert.Contains("data: [DONE]", body, StringComparison.Ordinal);
        var events = await Events.DataPlaneTests.EventuallyAsync(sut, Key, e => e.Count == 2);
        Assert.DoesNotContain(events, e => JsonSerializer.Serialize(e).Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(log.Entries, e => e.Message.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Gateway_UpstreamRefusesTheConnection_ClientGetsNoAddressButARequestIdTheLogExplains()
    {
        var port = LoopbackApp.ClosedPort();
        using var log = new CapturedLog();
        await using var sut = await ServerAsync($"http://127.0.0.1:{port}/v1", log);
        await sut.CreateExperimentAsync(ScriptedUpstream.Experiment(Key, "up"));

        using var response = await sut.Ingest.PostAsync("/v1/chat/completions", TestHost.Json(Chat));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var message = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("message").GetString()!;
        var requestId = Assert.Single(response.Headers.GetValues("X-Rampart-Request-Id"));
        Assert.DoesNotContain("127.0.0.1", message, StringComparison.Ordinal);
        Assert.DoesNotContain(port.ToString(System.Globalization.CultureInfo.InvariantCulture), message, StringComparison.Ordinal);
        Assert.Contains("unreachable", message, StringComparison.Ordinal);
        Assert.Contains(requestId, message, StringComparison.Ordinal);
        var completion = (await Events.DataPlaneTests.EventuallyAsync(sut, Key, e => e.Count == 2)).Single(e => e.Type == EventType.Completion);
        Assert.DoesNotContain("127.0.0.1", completion.Error, StringComparison.Ordinal);
        Assert.Contains(log.Entries, e => e.Message.Contains(requestId, StringComparison.Ordinal) && e.Message.Contains($"127.0.0.1:{port}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Gateway_ApiKeyVariableNotSet_ClientGetsNoVariableNameButTheLogNamesIt()
    {
        const string variable = "RAMPART_REDTEAM_NEVER_SET_KEY";
        await using var upstream = await ScriptedUpstream.StartAsync(context => context.Response.WriteAsJsonAsync(new { ok = true }));
        using var log = new CapturedLog();
        await using var sut = await ServerAsync(upstream.BaseUrl, log, variable);
        await sut.CreateExperimentAsync(ScriptedUpstream.Experiment(Key, "up"));

        using var response = await sut.Ingest.PostAsync("/v1/chat/completions", TestHost.Json(Chat));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var message = await response.Content.ReadAsStringAsync();
        var requestId = Assert.Single(response.Headers.GetValues("X-Rampart-Request-Id"));
        Assert.DoesNotContain(variable, message, StringComparison.Ordinal);
        Assert.DoesNotContain("api_key_env", message, StringComparison.Ordinal);
        Assert.Contains(requestId, message, StringComparison.Ordinal);
        var completion = (await Events.DataPlaneTests.EventuallyAsync(sut, Key, e => e.Count == 2)).Single(e => e.Type == EventType.Completion);
        Assert.DoesNotContain(variable, completion.Error, StringComparison.Ordinal);
        Assert.Contains(log.Entries, e => e.Message.Contains(requestId, StringComparison.Ordinal) && e.Message.Contains(variable, StringComparison.Ordinal));
        Assert.Equal(0, upstream.Hits);
    }
}
