using System.Net.Http.Headers;
using Rampart.Core.Events;
using Rampart.Storage.Sqlite;
using Rampart.Testing;

namespace Rampart.Wire.Tests;

/// <summary>
/// <c>rampart serve</c> itself, a child process with SQLite, runs gateway calls on the socket threads
/// (<c>server.inline_io</c>, docs/decisions/0022-inline-io.md): the official <c>openai</c> npm client's calls, streamed and
/// not, through it to a fake upstream on loopback, and a results page from the same server. The other wire tests host the
/// server in the test process, where the runtime's half of inline I/O is not on.
/// </summary>
public sealed class ServeInlineIoTests
{
    private const string Experiment = "wire-openai";

    [Fact]
    public async Task Serve_Sqlite_GatewayOnTheSocketThreads_OfficialClientCallsWork()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        using var folder = new TempDirectory();
        await File.WriteAllTextAsync(folder.File("rampart.json"), $$"""
            { "providers": { "up-openai": { "type": "openai", "base_url": "{{upstream.Address}}v1", "timeout": "2s" } } }
            """);
        var address = new Uri($"http://127.0.0.1:{ServerProcess.FreePort()}");
        // The admin key grants every scope: the npm client's key (WireHost.IngestKey) is the server's admin key here.
        using var server = await ServerProcess.StartAsync(address, folder.File("rampart.db"), WireHost.IngestKey);
        using var admin = new HttpClient { BaseAddress = address };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WireHost.IngestKey);
        using (var created = await admin.PostAsync("/api/experiments", WireHost.Json(WireScenario.Experiment(Experiment, "up-openai"))))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        using (var started = await admin.PostAsync($"/api/experiments/{Experiment}/start", null))
        {
            Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync());
        }

        var plain = NodeClient.ChatAsync(address, "experiment:" + Experiment, "user-1", stream: false);
        var streamed = NodeClient.ChatAsync(address, "experiment:" + Experiment, "user-2", stream: true);
        using var results = await admin.GetAsync($"/api/experiments/{Experiment}/results");
        var answers = await Task.WhenAll(plain, streamed);

        Assert.Contains(server.ErrorLines, l => l.Contains("gateway calls on the socket threads (server.inline_io)", StringComparison.Ordinal));
        Assert.True(results.IsSuccessStatusCode, await results.Content.ReadAsStringAsync());
        foreach (var answer in answers)
        {
            Assert.True(answer.GetProperty("ok").GetBoolean(), answer.ToString());
            Assert.Equal(FakeUpstream.Answer, answer.GetProperty("content").GetString());
            var variant = answer.GetProperty("headers").GetProperty("x-rampart-variant").GetString()!;
            Assert.Equal(WireScenario.Expected(variant).Model, answer.GetProperty("model").GetString());
        }

        Assert.Equal(FakeUpstream.Pieces, answers[1].GetProperty("chunks").EnumerateArray()
            .Select(c => c.GetProperty("content").GetString()).Where(c => c!.Length > 0));
        // Both calls recorded, with the tokens the upstream reported, by the server's own writer.
        await Eventually.TrueAsync(async () => (await CompletionsAsync(folder.File("rampart.db"))).Count == 2);
        Assert.All(await CompletionsAsync(folder.File("rampart.db")), c => Assert.Equal((21L, 6L), (c.PromptTokens, c.CompletionTokens)));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    private static async Task<List<ExperimentEvent>> CompletionsAsync(string db)
    {
        List<ExperimentEvent> completions = [];
        await foreach (var e in new SqliteEventStore(db).ReadAsync(Experiment))
        {
            if (e.Type == EventType.Completion)
            {
                completions.Add(e);
            }
        }

        return completions;
    }
}
