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
}
