using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Rampart.Core.Events;
using Rampart.Server.Events;
using Rampart.Server.Gateway;
using Rampart.Server.Tests.Events;
using Rampart.Testing;

namespace Rampart.Server.Tests.RedTeam;

/// <summary>
/// The store goes away under a serving gateway: a real PostgreSQL stopped and started, a server restarted in between, a
/// SQLite disk filled up. Every call answered 200 must have its exposure and completion stored exactly once in the end;
/// a call whose events cannot be kept must be refused (503), never served and dropped.
/// </summary>
public sealed class StoreOutageTests
{
    private const string Key = "outage";
    private static readonly TimeSpan PostgresOutage = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Gateway_PostgresStoppedForTenSeconds_EveryServedCallStoredOnceAfterItReturns()
    {
        using var postgres = ThrowawayPostgres.Start();
        using var folder = new TempDirectory();
        await using var sut = await StartOnPostgresAsync(postgres, folder);
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));
        var journal = sut.Services.GetRequiredService<EventJournal>();
        var served = new List<string>();
        await CallAsync(sut, 20, served);
        await Eventually.TrueAsync(async () => (await sut.StoredAsync(Key)).Count == 40);

        postgres.Stop();
        var outage = Stopwatch.StartNew();
        var degradedSeen = false;
        var (held, bytes) = (0L, 0L);
        while (outage.Elapsed < PostgresOutage)
        {
            await CallAsync(sut, 5, served);
            degradedSeen |= (await HealthAsync(sut)).EventsNotWritten is not null;
            (held, bytes) = (Math.Max(held, journal.HeldEvents), Math.Max(bytes, journal.Bytes));
        }

        // Events whose sender awaits the commit are not acknowledged while the store is down.
        using (var ingest = await sut.Ingest.PostAsync("/api/events", TestHost.Json(DataPlaneTests.Exposure("during", experiment: Key))))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ingest.StatusCode);
        }

        var during = await HealthAsync(sut);
        outage.Stop();
        postgres.StartServer();
        var replay = Stopwatch.StartNew();
        await Eventually.TrueAsync(async () => (await HealthAsync(sut)).EventsNotWritten is null, TimeSpan.FromSeconds(60), () => HealthzAsync(sut));
        replay.Stop();
        await CallAsync(sut, 5, served);

        Assert.True(degradedSeen, "/healthz never reported events_not_written during the outage");
        Assert.Equal("degraded", during.Status);
        Assert.Equal(HttpStatusCode.OK, during.Code); // serving and keeping every call: no reason to leave rotation
        Assert.Contains("events are held in the local journal since", during.EventsNotWritten, StringComparison.Ordinal);
        Assert.True(held > 0, "no event was ever held in the journal");
        // A monitor check that failed in the outage clears with its retry at the next tick.
        await Eventually.TrueAsync(async () => (await HealthAsync(sut)).Status == "ok", failure: () => HealthzAsync(sut));
        Assert.Equal(0, journal.HeldEvents);
        Assert.Equal(0, new FileInfo(journal.Path).Length);
        await Eventually.TrueAsync(async () => (await sut.StoredAsync(Key)).Count >= 2 * served.Count);
        AssertStoredOnce(served, await sut.StoredAsync(Key));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"postgres outage: {outage.Elapsed.TotalSeconds:F1} s, {served.Count} calls served, at most {held} events held, journal {bytes} bytes, replayed {replay.Elapsed.TotalSeconds:F2} s after the start");
    }

    [Fact]
    public async Task Server_RestartedWhileEventsAreHeldInTheJournal_ReplaysThemWhenPostgresIsBack()
    {
        using var postgres = ThrowawayPostgres.Start();
        using var folder = new TempDirectory();
        var served = new List<string>();
        string journalPath;
        await using (var first = await StartOnPostgresAsync(postgres, folder))
        {
            await first.CreateExperimentAsync(TestExperiments.Sim(Key));
            postgres.Stop();
            await CallAsync(first, 30, served);
            var journal = first.Services.GetRequiredService<EventJournal>();
            journalPath = journal.Path;
            await Eventually.TrueAsync(() => journal.HeldEvents == 2 * served.Count);
            await first.StopAsync();
        }

        Assert.True(new FileInfo(journalPath).Length > 0, "the journal was empty when the server stopped");
        postgres.StartServer();
        await using var sut = await StartOnPostgresAsync(postgres, folder);

        await Eventually.TrueAsync(async () => (await sut.StoredAsync(Key)).Count >= 2 * served.Count);
        AssertStoredOnce(served, await sut.StoredAsync(Key));
        Assert.Equal("ok", (await HealthAsync(sut)).Status);
        Assert.Equal(0, new FileInfo(journalPath).Length);
    }

    [Fact]
    public async Task Gateway_SqliteDiskFullWithTheJournalOnAnotherDisk_KeepsEveryServedCallsEvents()
    {
        using var disk = SmallTmpfs.MountOrSkip();
        using var folder = new TempDirectory();
        await using var sut = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["storage:sqlite"] = Path.Combine(disk.Path, "rampart.db"),
            ["events:journal_path"] = folder.File("events.journal"),
        });
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key, logging: "none"));
        var journal = sut.Services.GetRequiredService<EventJournal>();
        var served = new List<string>();
        await CallAsync(sut, 10, served);

        disk.Fill();
        var degraded = await CallUntilAsync(sut, served, async () => journal.HeldEvents > 0 && (await HealthAsync(sut)).EventsNotWritten is not null);
        await CallAsync(sut, 20, served);
        var metrics = await sut.Read.GetStringAsync("/metrics");
        Assert.Matches(@"rampart_events_journal_held(\{[^}]*\})? [1-9]", metrics);
        Assert.Matches(@"rampart_events_journal_size_bytes(\{[^}]*\})? [1-9]", metrics);
        disk.Free();
        await Eventually.TrueAsync(async () => (await HealthAsync(sut)).EventsNotWritten is null, failure: () => HealthzAsync(sut));

        Assert.True(degraded, "the full disk never made the writer keep events in the journal");
        await Eventually.TrueAsync(async () => (await sut.StoredAsync(Key)).Count >= 2 * served.Count);
        AssertStoredOnce(served, await sut.StoredAsync(Key));
    }

    [Fact]
    public async Task Gateway_SqliteDiskFullWithTheJournalOnIt_Answers503AndLosesNoServedCall()
    {
        using var disk = SmallTmpfs.MountOrSkip();
        await using var sut = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["storage:sqlite"] = Path.Combine(disk.Path, "rampart.db"),
            ["events:retry_after_seconds"] = "3",
        });
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key, logging: "none"));
        var served = new List<string>();
        await CallAsync(sut, 10, served);

        disk.Fill();
        HttpResponseMessage? refused = null;
        for (var (i, clock) = (0, Stopwatch.StartNew()); clock.Elapsed < TimeSpan.FromSeconds(30) && refused is null; i++)
        {
            await PaceAsync();
            var response = await CallOnceAsync(sut, $"full-{i}", served);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                refused = response;
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                response.Dispose();
            }
        }

        Assert.NotNull(refused);
        using (refused)
        {
            Assert.Equal("3", refused.Headers.RetryAfter!.ToString());
            var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
            Assert.Equal("events_unavailable", error.GetProperty("code").GetString());
        }

        var health = await HealthAsync(sut);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.Code); // refusing calls: load balancers send them elsewhere
        Assert.Equal("degraded", health.Status);
        Assert.Contains("get 503", health.EventsNotWritten, StringComparison.Ordinal);
        disk.Free();
        await Eventually.TrueAsync(async () => (await HealthAsync(sut)).EventsNotWritten is null, failure: () => HealthzAsync(sut));
        await CallAsync(sut, 5, served);
        await Eventually.TrueAsync(async () => (await sut.StoredAsync(Key)).Count >= 2 * served.Count);
        AssertStoredOnce(served, await sut.StoredAsync(Key));
    }

    private static Task<TestHost> StartOnPostgresAsync(ThrowawayPostgres postgres, TempDirectory folder) =>
        TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["storage:sqlite"] = null,
            ["storage:postgres"] = postgres.ConnectionString,
            ["events:journal_path"] = folder.File("events.journal"),
        });

    /// <summary>Makes <paramref name="count"/> calls, each of which must be served.</summary>
    private static async Task CallAsync(TestHost host, int count, List<string> served)
    {
        for (var i = 0; i < count; i++)
        {
            using var response = await CallOnceAsync(host, $"unit-{served.Count}", served);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    /// <summary>Makes calls until <paramref name="condition"/> holds (for at most 30 s); false when it never did.</summary>
    private static async Task<bool> CallUntilAsync(TestHost host, List<string> served, Func<Task<bool>> condition)
    {
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < TimeSpan.FromSeconds(30);)
        {
            await PaceAsync();
            await CallAsync(host, 1, served);
            if (await condition())
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The gap between the calls made while the disk is full. Unpaced, a fast machine makes thousands of calls while the
    /// writer retries (about a second) before it holds events in the journal; once the disk is freed, their events need more
    /// than the 8 MB tmpfs holds (the WAL and the file both grow), so the store stays full and the test measures the disk's
    /// size rather than the recovery. 20 ms bounds a 30 s loop to 1,500 calls.
    /// </summary>
    private static Task PaceAsync() => Task.Delay(20);

    /// <summary>One gateway call; a served one (200) adds its request id to <paramref name="served"/>.</summary>
    private static async Task<HttpResponseMessage> CallOnceAsync(TestHost host, string unit, List<string> served)
    {
        var response = await host.Ingest.PostAsync("/v1/chat/completions",
            TestHost.Json($$"""{"model":"experiment:{{Key}}","user":"{{unit}}","messages":[{"role":"user","content":"hi"}]}"""));
        if (response.StatusCode == HttpStatusCode.OK)
        {
            await response.Content.ReadAsStringAsync();
            served.Add(response.Headers.GetValues(GatewayHeaders.RequestId).Single());
        }

        return response;
    }

    private static void AssertStoredOnce(List<string> served, List<ExperimentEvent> stored)
    {
        Assert.Equal(stored.Count, stored.Select(e => e.Id).Distinct().Count());
        var completions = stored.Where(e => e.Type == EventType.Completion).ToList();
        Assert.Equal(served.Order(StringComparer.Ordinal), completions.Select(e => e.RequestId!).Order(StringComparer.Ordinal));
        Assert.Equal(served.Count, stored.Count(e => e.Type == EventType.Exposure));
    }

    /// <summary>What <c>/healthz</c> says; its HTTP status is 503 only while calls are refused (the journal is full).</summary>
    private static async Task<(HttpStatusCode Code, string Status, string? EventsNotWritten)> HealthAsync(TestHost host)
    {
        using var response = await host.Anonymous.GetAsync("/healthz");
        var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var reason = health.GetProperty("reasons").EnumerateArray()
            .Where(r => r.GetProperty("problem").GetString() == "events_not_written")
            .Select(r => r.GetProperty("reason").GetString())
            .FirstOrDefault();
        return (response.StatusCode, health.GetProperty("status").GetString()!, reason);
    }

    /// <summary><c>/healthz</c>'s whole answer, for a failed wait's message.</summary>
    private static async Task<string> HealthzAsync(TestHost host) =>
        "/healthz: " + await (await host.Anonymous.GetAsync("/healthz")).Content.ReadAsStringAsync();
}
