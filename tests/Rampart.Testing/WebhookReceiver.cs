using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Rampart.Testing;

/// <summary>
/// A real HTTP webhook receiver on 127.0.0.1 that records every attempt; the first <c>failures</c> attempts get
/// <c>failWith</c> (500 by default), later ones 200; <c>hang</c> makes it never answer.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private int failuresLeft;

    private WebhookReceiver(WebApplication app, int failures)
    {
        this.app = app;
        failuresLeft = failures;
    }

    /// <summary>Every attempt, accepted or not, in arrival order.</summary>
    public ConcurrentQueue<(HttpStatusCode Status, JsonDocument Body)> Attempts { get; } = new();

    public Uri Url { get; private set; } = null!;

    /// <summary>Signalled at each attempt.</summary>
    public SemaphoreSlim Arrived { get; } = new(0);

    public static async Task<WebhookReceiver> StartAsync(int failures = 0, HttpStatusCode failWith = HttpStatusCode.InternalServerError, bool hang = false)
    {
        var app = LoopbackApp.Create();
        var receiver = new WebhookReceiver(app, failures);
        app.MapPost("/hook", async (HttpContext context) =>
        {
            var body = await JsonDocument.ParseAsync(context.Request.Body);
            if (hang)
            {
                receiver.Attempts.Enqueue((HttpStatusCode.RequestTimeout, body));
                receiver.Arrived.Release();
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }

            var status = Interlocked.Decrement(ref receiver.failuresLeft) >= 0 ? failWith : HttpStatusCode.OK;
            receiver.Attempts.Enqueue((status, body));
            receiver.Arrived.Release();
            context.Response.StatusCode = (int)status;
        });
        receiver.Url = new Uri(await LoopbackApp.StartAsync(app), "/hook");
        return receiver;
    }

    /// <summary>Waits until <paramref name="count"/> attempts have arrived in all (fails the test after <paramref name="within"/>).</summary>
    public async Task WaitForAttemptsAsync(int count, TimeSpan within)
    {
        using var deadline = new CancellationTokenSource(within);
        while (Attempts.Count < count)
        {
            await Arrived.WaitAsync(deadline.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await app.StopAsync(stop.Token);
        await app.DisposeAsync();
        Arrived.Dispose();
    }
}
