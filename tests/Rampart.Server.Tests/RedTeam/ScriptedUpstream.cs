using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rampart.Testing;

namespace Rampart.Server.Tests.RedTeam;

/// <summary>A fake OpenAI-compatible upstream on 127.0.0.1 answering every request with the test's handler, counting them.</summary>
internal sealed class ScriptedUpstream : IAsyncDisposable
{
    private readonly WebApplication app;
    private int hits;

    private ScriptedUpstream(WebApplication app, Uri address)
    {
        this.app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>The base URL to configure (<c>…/v1</c>).</summary>
    public string BaseUrl => Address + "v1";

    public int Hits => Volatile.Read(ref hits);

    public static async Task<ScriptedUpstream> StartAsync(RequestDelegate handler)
    {
        var app = LoopbackApp.Create();
        ScriptedUpstream? sut = null;
        app.Run(context =>
        {
            Interlocked.Increment(ref sut!.hits);
            return handler(context);
        });
        sut = new ScriptedUpstream(app, await LoopbackApp.StartAsync(app));
        return sut;
    }


    /// <summary>Two variants of <paramref name="key"/> on <paramref name="provider"/>, half and half.</summary>
    public static string Experiment(string key, string provider) => $$"""
        { "key": "{{key}}", "control": "control",
          "variants": { "control": { "provider": "{{provider}}", "model": "gpt-4" }, "variant_a": { "provider": "{{provider}}", "model": "gpt-4" } },
          "stages": [ { "weights": { "control": 50, "variant_a": 50 } } ] }
        """;

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
