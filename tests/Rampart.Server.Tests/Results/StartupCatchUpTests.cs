using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Rampart.Core.Events;
using Rampart.Server.Tests.Events;
using Rampart.Storage;
using Rampart.Testing;

namespace Rampart.Server.Tests.Results;

/// <summary>
/// A restart on a long history: the server serves the gateway and the data plane while it reads the stored events
/// for its aggregates, and every reader of the aggregates waits until they hold all of them.
/// </summary>
public sealed class StartupCatchUpTests
{
    private const string Key = "restart";

    [Fact]
    public async Task Restart_WhileStoredEventsAreStillBeingRead_ServesTheGatewayAndWaitsWithResults()
    {
        using var folder = new TempDirectory();
        await using (var first = await TestHost.StartAsync(folder: folder))
        {
            await first.CreateExperimentAsync(TestExperiments.Sim(Key));
            var lines = Enumerable.Range(0, 300).Select(i => DataPlaneTests.Completion($"unit-{i}", $"req-{i}", experiment: Key));
            await DataPlaneTests.PostJsonAsync(first.Ingest, "/api/events", string.Join("\n", lines));
        }

        // The second server's feed holds every read until the gate opens, as a long history would.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var sut = await TestHost.StartAsync(folder: folder, services: s => s.AddSingleton<IEventFeed>(sp =>
            new GatedFeed(sp.GetRequiredService<RampartStores>().EventFeed, gate.Task)));

        var health = JsonDocument.Parse(await sut.Anonymous.GetStringAsync("/healthz")).RootElement;
        Assert.Equal(("ok", "catching_up"), (health.GetProperty("status").GetString(), health.GetProperty("results").GetString()));

        using (var chat = await sut.Ingest.PostAsync("/v1/chat/completions",
            TestHost.Json($$"""{"model":"experiment:{{Key}}","user":"user-1","messages":[{"role":"user","content":"Hello"}]}""")))
        {
            Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        }

        var assigned = await DataPlaneTests.PostJsonAsync(sut.Ingest, "/api/assign", $$"""{"experiment":"{{Key}}","unit":"user-2"}""");
        Assert.False(string.IsNullOrEmpty(assigned.GetProperty("variant").GetString()));
        var accepted = await DataPlaneTests.PostJsonAsync(sut.Ingest, "/api/events", DataPlaneTests.Completion("unit-late", "req-late", experiment: Key));
        Assert.Equal(1, accepted.GetProperty("accepted").GetInt32());

        var results = sut.Read.GetStringAsync($"/api/experiments/{Key}/results");
        await Task.Delay(300);
        Assert.False(results.IsCompleted, "results answered before the stored events were read");

        gate.SetResult();
        var document = JsonDocument.Parse(await results).RootElement;
        var requests = document.GetProperty("variants").EnumerateArray().Sum(v => v.GetProperty("requests").GetInt64());
        Assert.Equal(300 + 1 + 1, requests); // the history, the gateway's call and the late event: nothing counted twice or lost
        health = JsonDocument.Parse(await sut.Anonymous.GetStringAsync("/healthz")).RootElement;
        Assert.Equal("ready", health.GetProperty("results").GetString());
    }
}
