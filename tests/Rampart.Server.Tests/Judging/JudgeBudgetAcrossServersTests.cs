using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Rampart.Core.Events;
using Rampart.Llm.Judging;
using Rampart.Server.Tests.Results;
using Rampart.Storage;
using Rampart.Testing;

namespace Rampart.Server.Tests.Judging;

/// <summary>
/// A judge's daily cap holds for the experiment, not per server: real servers on 127.0.0.1 on one SQLite file, restarted
/// or side by side, count the verdicts every one of them stored. In one collection with <see cref="JudgingTests"/>: both
/// read judge counters from <c>/metrics</c>, whose meter is per process, and a counter was seen missing from a server's
/// <c>/metrics</c> while these servers started and stopped alongside.
/// </summary>
[Collection(nameof(JudgingTests))]
public sealed class JudgeBudgetAcrossServersTests
{
    private const string Key = "judged-budget";

    // One simulated verdict at gpt-4o-mini's price costs $0.000084: the cap is reached by the third.
    private const double VerdictUsd = 0.000084;
    private const int VerdictsToTheCap = 3;

    private static readonly Dictionary<string, string?> OneAtATime = new() { ["judges:concurrency"] = "1" };

    [Fact]
    public async Task Restart_AfterTheCapWasSpent_TheNewServerJudgesNothingMoreThatDay()
    {
        // Judge names no other test uses: the server's meter is named per process.
        const string judge = "restart_cap";
        using var folder = new TempDirectory();
        await using (var first = await TestHost.StartAsync(OneAtATime, kestrel: true, folder: folder))
        {
            await first.CreateExperimentAsync(Experiment(judge));
            await ChatAsync(first, "first", 6);
            await Eventually.TrueAsync(() => Budget(first).Skipped == 6 - VerdictsToTheCap);
            await EventuallyVerdictsAsync(first, VerdictsToTheCap);
        }

        await using var sut = await TestHost.StartAsync(OneAtATime, kestrel: true, folder: folder);

        await ChatAsync(sut, "second", 4);

        await Eventually.TrueAsync(async () => JudgingTests.Metric(await sut.Read.GetStringAsync("/metrics"), "rampart_judge_skipped_total", $"rampart_judge=\"{judge}\"") == 4);
        var metrics = await sut.Read.GetStringAsync("/metrics");
        Assert.Equal(4, JudgingTests.Metric(metrics, "rampart_judge_skipped_total", "rampart_reason=\"budget\"", $"rampart_judge=\"{judge}\""));
        Assert.Equal(0, JudgingTests.Metric(metrics, "rampart_judge_verdicts_total", $"rampart_judge=\"{judge}\""));
        Assert.Equal(4, Budget(sut).Skipped);
        Assert.Equal(VerdictsToTheCap, (await sut.StoredAsync(Key)).Count(e => e.Type == EventType.Feedback));
    }

    [Fact]
    public async Task Restart_WhileTheStoredVerdictsAreStillBeingRead_JudgesNothingUntilTheyAre()
    {
        const string judge = "catch_up_cap";
        using var folder = new TempDirectory();
        await using (var first = await TestHost.StartAsync(OneAtATime, kestrel: true, folder: folder))
        {
            await first.CreateExperimentAsync(Experiment(judge));
            await ChatAsync(first, "first", VerdictsToTheCap);
            await EventuallyVerdictsAsync(first, VerdictsToTheCap);
        }

        // The second server's feed holds every read until the gate opens, as a long history would.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var sut = await TestHost.StartAsync(OneAtATime, kestrel: true, folder: folder, services: s => s.AddSingleton<IEventFeed>(sp =>
            new GatedFeed(sp.GetRequiredService<RampartStores>().EventFeed, gate.Task)));

        await ChatAsync(sut, "second", 4);
        await Task.Delay(500);
        Assert.Equal((0L, VerdictsToTheCap), (Budget(sut).Skipped, await VerdictsOf(sut)));

        gate.SetResult();
        await Eventually.TrueAsync(() => Budget(sut).Skipped == 4);
        Assert.Equal(VerdictsToTheCap, await VerdictsOf(sut));
    }

    [Fact]
    public async Task TwoServers_OneSpendsTheCap_TheOtherJudgesNothingMore()
    {
        const string judge = "shared_cap";
        using var folder = new TempDirectory();
        await using var a = await TestHost.StartAsync(OneAtATime, kestrel: true, folder: folder);
        await using var b = await TestHost.StartAsync(OneAtATime, kestrel: true, folder: folder);
        await a.CreateExperimentAsync(Experiment(judge));

        await ChatAsync(a, "a", VerdictsToTheCap);
        await EventuallyVerdictsAsync(a, VerdictsToTheCap);
        // B learns A's spend by following the store (one poll, 250 ms).
        await Eventually.TrueAsync(() => Budget(b).SpentToday(Key, judge) >= VerdictsToTheCap * VerdictUsd * 0.999);
        await ServedExperiment.StartedAsync(b.Ingest, Key);
        await ChatAsync(b, "b", 4);

        await Eventually.TrueAsync(() => Budget(b).Skipped == 4);
        Assert.Equal(0, Budget(a).Skipped);
        await ChatAsync(a, "a-again", 2);
        await Eventually.TrueAsync(() => Budget(a).Skipped == 2);
        Assert.Equal(VerdictsToTheCap, (await b.StoredAsync(Key)).Count(e => e.Type == EventType.Feedback));
    }

    [Fact]
    public async Task TwoServers_CallsSpreadOverBoth_VerdictsStopAtTheCapPlusTheLagsOvershoot()
    {
        const string judge = "spread_cap";
        using var folder = new TempDirectory();
        await using var a = await TestHost.StartAsync(OneAtATime, kestrel: true, folder: folder);
        await using var b = await TestHost.StartAsync(OneAtATime, kestrel: true, folder: folder);
        await a.CreateExperimentAsync(Experiment(judge, cap: 10 * VerdictUsd * 0.999));
        await ServedExperiment.StartedAsync(b.Ingest, Key);

        for (var round = 0; round < 10; round++)
        {
            await ChatAsync(a, $"a-{round}", 2);
            await ChatAsync(b, $"b-{round}", 2);
            // Before the next round, every call so far is judged and stored or skipped, and both servers have read every
            // stored verdict: on a loaded machine a fixed pause can end before then, and each round a server judges
            // without the other's latest verdicts adds to the overshoot.
            var calls = 4 * (round + 1);
            await Eventually.TrueAsync(
                async () => Budget(a).Skipped + Budget(b).Skipped + await VerdictsOf(a) == calls && await FollowedAsync(a, b, judge),
                failure: async () => $"skipped {Budget(a).Skipped} + {Budget(b).Skipped}, {await VerdictsOf(a)} verdicts stored, spent {Budget(a).SpentToday(Key, judge)} and {Budget(b).SpentToday(Key, judge)} by the servers' counts");
        }

        await Eventually.TrueAsync(async () => Budget(a).Skipped + Budget(b).Skipped + await VerdictsOf(a) == 40);
        var verdicts = await VerdictsOf(a);
        TestContext.Current.TestOutputHelper?.WriteLine($"{verdicts} verdicts for a cap of 10");
        // Each server may judge past the cap what it judged before it read the other's latest verdicts: with one call at a
        // time and every verdict read by both servers between rounds, at most one round of both.
        Assert.InRange(verdicts, 10, 10 + 4);
        Assert.Equal(40 - verdicts, Budget(a).Skipped + Budget(b).Skipped);
    }

    private static string Experiment(string judge, double cap = VerdictsToTheCap * VerdictUsd * 0.999) =>
        TestExperiments.Sim(Key, judges: $$"""[{"name":"{{judge}}","provider":"sim","model":"gpt-4o-mini","sample_rate":1.0,"max_cost_usd_per_day":{{cap.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}}}]""");

    private static JudgeBudget Budget(TestHost server) => server.Services.GetRequiredService<JudgeBudget>();

    private static async Task ChatAsync(TestHost server, string units, int count)
    {
        for (var i = 0; i < count; i++)
        {
            using var response = await server.Ingest.PostAsync("/v1/chat/completions",
                TestHost.Json($$"""{"model":"experiment:{{Key}}","user":"{{units}}-{{i}}","messages":[{"role":"user","content":"Where is my order?"}]}"""));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    // Both servers count every stored verdict of judge.
    private static async Task<bool> FollowedAsync(TestHost a, TestHost b, string judge)
    {
        var stored = await VerdictsOf(a) * VerdictUsd * 0.999;
        return Budget(a).SpentToday(Key, judge) >= stored && Budget(b).SpentToday(Key, judge) >= stored;
    }

    private static async Task<int> VerdictsOf(TestHost server) => (await server.StoredAsync(Key)).Count(e => e.Type == EventType.Feedback);

    private static Task EventuallyVerdictsAsync(TestHost server, int count) =>
        Eventually.TrueAsync(async () => await VerdictsOf(server) == count);
}
