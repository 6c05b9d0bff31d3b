using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Rampart.Wire.Tests.Scale;

/// <summary>A real webhook receiver on 127.0.0.1 that answers 200 and keeps every body it was sent.</summary>
public sealed class WebhookInbox : IAsyncDisposable
{
    private readonly WebApplication app;

    private WebhookInbox(WebApplication app) => this.app = app;

    public ConcurrentQueue<string> Bodies { get; } = new();

    public Uri Url { get; private set; } = null!;

    public static async Task<WebhookInbox> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var inbox = new WebhookInbox(builder.Build());
        inbox.app.MapPost("/hook", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            inbox.Bodies.Enqueue(await reader.ReadToEndAsync());
        });
        await inbox.app.StartAsync();
        var address = inbox.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        inbox.Url = new Uri(new Uri(address), "/hook");
        return inbox;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
