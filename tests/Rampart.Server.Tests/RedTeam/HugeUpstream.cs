using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rampart.Testing;

namespace Rampart.Server.Tests.RedTeam;

/// <summary>
/// A fake OpenAI-compatible upstream on 127.0.0.1 whose answers are hostile, by path: <c>/json</c> a 300 MB answer,
/// <c>/line</c> a 300 MB stream line without a line break, <c>/error</c> a 300 MB error body (all chunked, written until the
/// reader hangs up), <c>/ok</c> a short answer, <c>/broken</c> a stream cut off mid-answer, <c>/long</c> a 4 MB stream of valid chunks.
/// </summary>
public sealed class HugeUpstream : IAsyncDisposable
{
    /// <summary>What the hostile answers are made of: 300 MB.</summary>
    public const long HugeBytes = 300L * 1024 * 1024;

    private readonly WebApplication app;
    private long written;

    private HugeUpstream(WebApplication app) => this.app = app;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>How many bytes of hostile answers were written before their readers hung up.</summary>
    public long Written => Interlocked.Read(ref written);

    public static async Task<HugeUpstream> StartAsync()
    {
        var app = LoopbackApp.Create();
        var upstream = new HugeUpstream(app);
        app.MapPost("/json/chat/completions", c => upstream.HugeAsync(c, 200, "application/json", "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"", (byte)'x'));
        app.MapPost("/line/chat/completions", c => upstream.HugeAsync(c, 200, "text/event-stream", "data: ", (byte)'x'));
        app.MapPost("/error/chat/completions", c => upstream.HugeAsync(c, 500, "text/html", "<html>", (byte)'e'));
        app.MapPost("/broken/chat/completions", async c =>
        {
            c.Response.ContentType = "text/event-stream";
            await c.Response.WriteAsync("""data: {"model":"gpt-4o","choices":[{"index":0,"delta":{"content":"Half an ans"}}]}""" + "\n\n");
            await c.Response.Body.FlushAsync();
            await Task.Delay(200); // the chunk reaches the gateway before the connection breaks (a reset may discard unread data)
            c.Abort();
        });
        app.MapPost("/ok/chat/completions", c => c.Response.WriteAsJsonAsync(new
        {
            id = "ok", @object = "chat.completion", model = "gpt-4o",
            choices = new[] { new { index = 0, message = new { role = "assistant", content = "Fine." }, finish_reason = "stop" } },
            usage = new { prompt_tokens = 5, completion_tokens = 2 },
        }));
        app.MapPost("/long/chat/completions", async c =>
        {
            c.Response.ContentType = "text/event-stream";
            var chunk = Encoding.UTF8.GetBytes("""data: {"model":"gpt-4o","choices":[{"index":0,"delta":{"content":"0123456789012345678901234567890123456789"}}]}""" + "\n\n");
            for (var i = 0; i < 40_000; i++)
            {
                await c.Response.Body.WriteAsync(chunk);
            }

            await c.Response.WriteAsync("""data: {"model":"gpt-4o","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":40000}}""" + "\n\ndata: [DONE]\n\n");
        });
        upstream.BaseUrl = await LoopbackApp.StartAsync(app);
        return upstream;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task HugeAsync(HttpContext context, int status, string contentType, string prefix, byte fill)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        var piece = new byte[64 * 1024];
        Array.Fill(piece, fill);
        try
        {
            await context.Response.WriteAsync(prefix, context.RequestAborted);
            for (long sent = 0; sent < HugeBytes; sent += piece.Length)
            {
                // Writes to a connection the reader has closed complete without an error: the flush result says so.
                var flushed = await context.Response.BodyWriter.WriteAsync(piece, context.RequestAborted);
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    return;
                }

                Interlocked.Add(ref written, piece.Length);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The reader hung up, as it should.
        }
    }
}
