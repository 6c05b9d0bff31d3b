using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rampart.Testing;

namespace Rampart.Llm.Tests.Fakes;

/// <summary>A request the fake upstream received.</summary>
public sealed record RecordedRequest(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
}

/// <summary>A real Kestrel server on 127.0.0.1 (a free port) answering with the test's handler and recording every request.</summary>
public sealed class FakeUpstream : IAsyncDisposable
{
    private readonly WebApplication app;

    private FakeUpstream(WebApplication app, Uri baseUrl, ConcurrentQueue<RecordedRequest> requests)
    {
        this.app = app;
        BaseUrl = baseUrl;
        Requests = requests;
    }

    public Uri BaseUrl { get; }

    public ConcurrentQueue<RecordedRequest> Requests { get; }

    public RecordedRequest SingleRequest => Assert.Single(Requests);

    /// <summary>The request <paramref name="context"/> is answering, as recorded (its body is read already).</summary>
    public static RecordedRequest RequestOf(HttpContext context) => (RecordedRequest)context.Items[typeof(RecordedRequest)]!;

    public static async Task<FakeUpstream> StartAsync(RequestDelegate handler)
    {
        var app = LoopbackApp.Create();
        var requests = new ConcurrentQueue<RecordedRequest>();
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var request = new RecordedRequest(
                context.Request.Path,
                context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
                body.ToArray());
            requests.Enqueue(request);
            context.Items[typeof(RecordedRequest)] = request;
            await handler(context);
        });
        return new FakeUpstream(app, await LoopbackApp.StartAsync(app), requests);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
