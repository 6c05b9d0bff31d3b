using System.Net;
using System.Text.Json;
using Rampart.Testing;

namespace Rampart.Server.Tests.Experiments;

/// <summary>
/// One stored experiment that can no longer be read (its row edited by hand, restored in part, or holding a value this version
/// refuses) hides only itself: a request about it is answered with why, never a bare 500, and the
/// other experiments are served.
/// </summary>
public sealed class UnreadableExperimentTests
{
    private const string Damaged = "listing-damaged";
    private const string Readable = "listing-readable";
    private const string Damage = $$"""UPDATE experiments SET definition = '{"key":"{{Damaged}}"}' WHERE key = '{{Damaged}}';""";

    [Fact]
    public async Task Requests_AboutAnUnreadableExperimentAfterARestart_AreAnsweredWithWhyAndTheOtherIsServed()
    {
        // After a restart nothing of the damaged experiment is in memory: showing it, a command and a gateway call all read
        // the store, and each must say why it cannot, while the readable experiment is served as usual.
        using var folder = new TempDirectory();
        await using (var before = await TestHost.StartAsync(folder: folder))
        {
            await before.CreateExperimentAsync(TestExperiments.Sim(Damaged));
            await before.CreateExperimentAsync(TestExperiments.Sim(Readable));
        }

        Assert.Equal(1, StoreSql.Execute(null, folder.File("rampart.db"), Damage));
        await using var sut = await TestHost.StartAsync(folder: folder);

        using var shown = await sut.Read.GetAsync($"/api/experiments/{Damaged}");
        using var paused = await sut.Admin.PostAsync($"/api/experiments/{Damaged}/pause", null);
        using var called = await sut.Ingest.PostAsync("/v1/chat/completions", TestHost.Json(Chat(Damaged)));
        using var served = await sut.Ingest.PostAsync("/v1/chat/completions", TestHost.Json(Chat(Readable)));

        var why = $"Experiment '{Damaged}' is stored but cannot be read: its stored definition is refused: ";
        foreach (var response in new[] { shown, paused })
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.InternalServerError, $"{(int)response.StatusCode}: {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(text).RootElement;
            Assert.Equal("key", problem.GetProperty("field").GetString());
            Assert.StartsWith(why, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        var error = JsonDocument.Parse(await called.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal(HttpStatusCode.InternalServerError, called.StatusCode);
        Assert.Equal("experiment_unreadable", error.GetProperty("code").GetString());
        Assert.StartsWith(why, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        using var listed = await sut.Read.GetAsync("/api/experiments");
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Equal([Readable], JsonDocument.Parse(await listed.Content.ReadAsStringAsync()).RootElement.EnumerateArray().Select(e => e.GetProperty("key").GetString()));
    }

    [Fact]
    public async Task Create_InALayerWhileAStoredExperimentIsUnreadable_Is409NamingItAndWithoutALayerIsCreated()
    {
        await using var sut = await StartWithOneDamagedAsync(postgres: null);
        var inLayer = TestExperiments.Sim("layered").TrimEnd()[..^1] + """, "layer": {"name": "checkout", "range": [0, 50], "holdout": 5}}""";

        using var layered = await sut.Admin.PostAsync("/api/experiments", TestHost.Json(inLayer));
        using var plain = await sut.Admin.PostAsync("/api/experiments", TestHost.Json(TestExperiments.Sim("plain")));

        Assert.Equal(HttpStatusCode.Conflict, layered.StatusCode);
        var problem = JsonDocument.Parse(await layered.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("layer.range", problem.GetProperty("field").GetString());
        Assert.Contains($"cannot be checked against experiment '{Damaged}', which is stored but cannot be read", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, plain.StatusCode);
    }

    // Two running experiments, then the first one's stored definition overwritten by hand with one the parser refuses.
    private static async Task<TestHost> StartWithOneDamagedAsync(TestPostgres? postgres)
    {
        var sut = await TestHost.StartAsync(StoreSql.Settings(postgres));
        await sut.CreateExperimentAsync(TestExperiments.Sim(Damaged));
        await sut.CreateExperimentAsync(TestExperiments.Sim(Readable));
        Assert.Equal(1, StoreSql.Execute(postgres, sut.DatabasePath, Damage));
        return sut;
    }

    private static string Chat(string key) => $$"""{"model":"experiment:{{key}}","user":"u-1","messages":[{"role":"user","content":"hello"}]}""";
}
