using Microsoft.AspNetCore.Http;
using Rampart.Llm.Remote;
using Rampart.Llm.Tests.Fakes;

namespace Rampart.Llm.Tests.Remote;

public sealed class RemoteExperimentStoreTests
{
    [Fact]
    public async Task FindAsync_BaseAddressWithAPathButNoTrailingSlash_AsksUnderThatPath()
    {
        await using var server = await FakeUpstream.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        using var http = new HttpClient();
        var sut = new RemoteExperimentStore(http, new RampartClientOptions { BaseAddress = new Uri(server.BaseUrl, "rampart"), ApiKey = "key" });

        await sut.FindAsync("prompt-opt-v2");

        Assert.Equal("/rampart/api/experiments/prompt-opt-v2", server.SingleRequest.Path);
    }

    [Fact]
    public async Task FindAsync_HugeErrorAnswer_ReadsOnlyItsStartIntoTheMessage()
    {
        // Before: the whole error answer (from a proxy in between, say) was buffered, then read into the exception's message.
        await using var server = await FakeUpstream.StartAsync(async context =>
        {
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            var chunk = new string('x', 64 * 1024);
            for (var i = 0; i < 160; i++)
            {
                await context.Response.WriteAsync(chunk, context.RequestAborted);
            }

            // And it never ends: a client that buffered the whole answer before reading it would wait here for ever.
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        using var http = new HttpClient();
        var sut = new RemoteExperimentStore(http, new RampartClientOptions { BaseAddress = server.BaseUrl, ApiKey = "key" });

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => sut.FindAsync("prompt-opt-v2").WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.StartsWith("The Rampart server answered 502: xxxx", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("x…", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Message.Length < 5_000, $"{ex.Message.Length} characters");
    }
}
