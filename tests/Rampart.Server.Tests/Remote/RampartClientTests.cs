using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Rampart.Core.Events;
using Rampart.Core.Rollouts;
using Rampart.Llm.Remote;
using Rampart.Server.Tests.Events;
using Rampart.Server.Tests.Experiments;
using Rampart.Storage;
using Rampart.Testing;

namespace Rampart.Server.Tests.Remote;

/// <summary>The C# client's remote mode against the real server: snapshots for local assignment, batched uploads.</summary>
public sealed class RampartClientTests
{
    private const string Key = "remote";

    [Fact]
    public async Task FindAsync_AfterRampAndRollback_AssignsEveryUnitAsTheServerDoes()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));
        await ControlPlaneTests.SendAsync(sut.Admin, HttpMethod.Post, $"/api/experiments/{Key}/advance", "");
        await ControlPlaneTests.SendAsync(sut.Admin, HttpMethod.Post, $"/api/experiments/{Key}/rollback", """{"variant":"variant_b","reason":"slow"}""");
        using var http = sut.Client(null);
        var store = new RemoteExperimentStore(http, Options(http));

        var remote = new ExperimentAssigner((await store.FindAsync(Key))!);

        var server = new ExperimentAssigner((await sut.Experiments.FindAsync(Key))!);
        for (var i = 0; i < 10_000; i++)
        {
            var (want, got) = (server.Assign($"user-{i}"), remote.Assign($"user-{i}"));
            Assert.Equal((want.Variant.Name, want.Reason, want.Stage, want.Bucket), (got.Variant.Name, got.Reason, got.Stage, got.Bucket));
        }

        for (var i = 0; i < 50; i++)
        {
            var answer = await DataPlaneTests.PostJsonAsync(sut.Ingest, "/api/assign", $$"""{"experiment":"{{Key}}","unit":"user-{{i}}","log_exposure":false}""");
            var local = remote.Assign($"user-{i}");
            Assert.Equal((local.Variant.Name, JsonNamingPolicy.SnakeCaseLower.ConvertName(local.Reason.ToString())),
                (answer.GetProperty("variant").GetString(), answer.GetProperty("reason").GetString()));
        }

        Assert.Null(await store.FindAsync("no-such-experiment"));
        Assert.Equal([Key], (await store.ListAsync()).Experiments.Select(e => e.Key));
    }

    [Fact]
    public async Task ShowAndList_AskedAgainWithTheirETag_Are304WithoutABodyUntilTheExperimentChanges()
    {
        // Before: each in-process client re-read every experiment's whole definition (up to megabytes) every 2 s.
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));

        foreach (var path in new[] { $"/api/experiments/{Key}", "/api/experiments" })
        {
            using var first = await sut.Read.GetAsync(path);
            var tag = first.Headers.ETag;
            Assert.False(tag is null || tag.IsWeak, $"{path}: {tag}");
            using var again = new HttpRequestMessage(HttpMethod.Get, path);
            again.Headers.IfNoneMatch.Add(tag);
            using var unchanged = await sut.Read.SendAsync(again);
            Assert.Equal(System.Net.HttpStatusCode.NotModified, unchanged.StatusCode);
            Assert.Empty(await unchanged.Content.ReadAsByteArrayAsync());
            Assert.Equal(tag, unchanged.Headers.ETag);
        }

        using var before = await sut.Read.GetAsync($"/api/experiments/{Key}");
        await ControlPlaneTests.SendAsync(sut.Admin, HttpMethod.Post, $"/api/experiments/{Key}/pause", "");
        using var stale = new HttpRequestMessage(HttpMethod.Get, $"/api/experiments/{Key}");
        stale.Headers.IfNoneMatch.Add(before.Headers.ETag!);
        using var changed = await sut.Read.SendAsync(stale);
        Assert.Equal(System.Net.HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(before.Headers.ETag, changed.Headers.ETag);
    }

    [Fact]
    public async Task RemoteStore_ExperimentUnchanged_GivesTheSameExperimentWithoutReadingItAgainAndSeesAChange()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));
        using var http = sut.Client(null);
        var store = new RemoteExperimentStore(http, Options(http));

        var first = await store.FindAsync(Key);
        var listed = await store.ListAsync();

        Assert.Same(first, await store.FindAsync(Key));
        Assert.Same(listed, await store.ListAsync());
        await ControlPlaneTests.SendAsync(sut.Admin, HttpMethod.Post, $"/api/experiments/{Key}/pause", "");
        Assert.Equal(ExperimentState.Paused, (await store.FindAsync(Key))!.State);
        Assert.Equal(ExperimentState.Paused, Assert.Single((await store.ListAsync()).Experiments).State);
    }

    [Fact]
    public async Task FindAndList_DeepestParamsTheServerAccepts_ReadTheExperiment()
    {
        await using var sut = await TestHost.StartAsync();
        // Nested as deep as the server takes a definition (JSON's default depth of 64): its answers hold it one level down
        // (show) or two (list), which a reader at the default depth refused, the whole list with it.
        var nested = string.Concat(Enumerable.Repeat("{\"a\": ", 60)) + "1" + new string('}', 60);
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key).Replace("\"sim\": { \"latency_ms_median\": 900", $"\"deep\": {nested}, \"sim\": {{ \"latency_ms_median\": 900", StringComparison.Ordinal));
        using var deeper = await sut.Admin.PostAsync("/api/experiments",
            TestHost.Json(TestExperiments.Sim("deeper").Replace("\"sim\": { \"latency_ms_median\": 900", $"\"deep\": {{\"a\": {nested}}}, \"sim\": {{ \"latency_ms_median\": 900", StringComparison.Ordinal)));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, deeper.StatusCode);
        using var http = sut.Client(null);
        var store = new RemoteExperimentStore(http, Options(http));

        var found = await store.FindAsync(Key);
        var listed = await store.ListAsync();

        Assert.Equal(JsonValueKind.Object, found!.Definition.Variants[1].Config.Params!.Value.GetProperty("deep").GetProperty("a").ValueKind);
        Assert.Equal([Key], listed.Experiments.Select(e => e.Key));
    }

    [Fact]
    public async Task RemoteEventSink_ManyEvents_UploadsThemInBatchesWithIds()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));
        using var http = sut.Client(null);
        var sink = new RemoteEventSink(http, Options(http));

        for (var i = 0; i < 2_500; i++)
        {
            await sink.WriteAsync(EventLineParser.Parse(DataPlaneTests.Exposure($"u{i}", experiment: Key), 1));
        }

        await sink.DisposeAsync();

        var stored = await sut.StoredAsync(Key);
        Assert.Equal(2_500, stored.Count);
        Assert.Equal(2_500, stored.Select(e => e.Id).Distinct().Count());
        Assert.Equal(0, sink.Lost);
    }

    [Fact]
    public async Task RemoteEventSink_ServerBusy_RetriesAfterRetryAfterAndStoresEachEventOnce()
    {
        BlockingEventStore? blocking = null;
        await using var sut = await TestHost.StartAsync(
            new Dictionary<string, string?> { ["events:queue_capacity"] = "20" },
            s => s.AddSingleton<IEventStore>(sp => blocking = new BlockingEventStore(sp.GetRequiredService<RampartStores>().Events)));
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));
        var filling = sut.Ingest.PostAsync("/api/events", TestHost.Json(string.Join("\n", Enumerable.Range(0, 20).Select(i => DataPlaneTests.Exposure($"f{i}", experiment: Key)))));
        await Eventually.TrueAsync(() => blocking!.Waiting > 0);

        using var http = sut.Client(null);
        var sink = new RemoteEventSink(http, Options(http));
        for (var i = 0; i < 5; i++)
        {
            await sink.WriteAsync(EventLineParser.Parse(DataPlaneTests.Exposure($"r{i}", experiment: Key), 1));
        }

        await Task.Delay(400);
        Assert.DoesNotContain(await sut.StoredAsync(Key), e => e.Unit.StartsWith('r'));
        blocking!.Open();
        using var filled = await filling;
        await sink.DisposeAsync();

        Assert.Equal(5, (await sut.StoredAsync(Key)).Count(e => e.Unit.StartsWith('r')));
        Assert.Equal(0, sink.Lost);
    }

    [Fact]
    public async Task RemoteEventSink_SameIdsSentTwice_StoredOnce()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));
        using var http = sut.Client(null);
        var events = Enumerable.Range(0, 10).Select(i => EventLineParser.Parse(DataPlaneTests.Exposure($"u{i}", experiment: Key), 1) with { Id = $"id-{i}" }).ToList();

        foreach (var round in new[] { 1, 2 })
        {
            var sink = new RemoteEventSink(http, Options(http));
            foreach (var e in events)
            {
                await sink.WriteAsync(e);
            }

            await sink.DisposeAsync();
        }

        Assert.Equal(10, (await sut.StoredAsync(Key)).Count);
    }

    private static RampartClientOptions Options(HttpClient http) =>
        new() { BaseAddress = http.BaseAddress, ApiKey = TestHost.IngestKey, FlushInterval = TimeSpan.FromMilliseconds(20), MaxBatch = 1_000 };
}
