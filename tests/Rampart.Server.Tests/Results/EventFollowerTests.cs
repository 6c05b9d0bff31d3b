using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Rampart.Core.Events;
using Rampart.Llm.Judging;
using Rampart.Server.Events;
using Rampart.Server.Health;
using Rampart.Server.Results;
using Rampart.Server.Tests.Events;
using Rampart.Storage;
using Rampart.Testing;

namespace Rampart.Server.Tests.Results;

/// <summary>
/// The results follower. In one collection with <see cref="RedTeam.QuarantineTests"/>: the events set aside here would count
/// in that test's <c>rampart_events_quarantined_total</c>, whose meter is per process.
/// </summary>
[Collection(nameof(RedTeam.QuarantineTests))]
public sealed class EventFollowerTests
{
    private const string Key = "follow";

    [Fact]
    public async Task CatchUp_EventThatThrowsInsideTheAggregates_QuarantinedAndTheExperimentRebuiltWithoutIt()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));
        await DataPlaneTests.PostJsonAsync(sut.Ingest, "/api/events", string.Join("\n",
            Enumerable.Range(0, 5).Select(i => DataPlaneTests.Completion($"u-{i}", $"r-{i}", variant: "variant_b", experiment: Key))));

        // Feedback without a score passes the range check and throws inside the aggregates, after the variant's totals
        // were touched: the path for "any other failure".
        await sut.Events.AppendAsync([new ExperimentEvent
        {
            Type = EventType.Feedback, Experiment = Key, Variant = "variant_b", Unit = "u-0", Id = "no-score", Ts = DateTimeOffset.UnixEpoch, Value = 1,
        }]);
        await DataPlaneTests.PostJsonAsync(sut.Ingest, "/api/events", DataPlaneTests.Completion("u-9", "r-9", variant: "variant_b", experiment: Key));

        using var response = await sut.Read.GetAsync($"/api/experiments/{Key}/results");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var variants = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("variants").EnumerateArray().ToList();
        Assert.Equal(6, variants.Sum(v => v.GetProperty("requests").GetInt64()));
        var listed = Assert.Single(await sut.Services.GetRequiredService<IQuarantineStore>().ListAsync(0, 10));
        Assert.Equal("no-score", listed.EventId);
        Assert.StartsWith("ArgumentNullException", listed.Error, StringComparison.Ordinal);
        Assert.Equal(1, sut.Services.GetRequiredService<EventQuarantine>().Count);
    }

    [Fact]
    public async Task CatchUp_VerdictThatThrowsWhileTheQuarantineCannotKeepIt_ItsJudgeSpendCountsOnce()
    {
        var quarantine = new FailingQuarantine();
        await using var sut = await TestHost.StartAsync(services: s => s.AddSingleton<IQuarantineStore>(sp =>
            quarantine.Wrap(sp.GetRequiredService<RampartStores>().Quarantine)));
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));
        var budget = sut.Services.GetRequiredService<JudgeBudget>();

        // A judge's verdict that throws inside the aggregates (a shadow verdict without its pair id, past the API's checks),
        // read while the store cannot keep the quarantined event: the follower reads it again, round after round, until
        // the store can.
        quarantine.Failing = true;
        await sut.Events.AppendAsync([new ExperimentEvent
        {
            Type = EventType.Feedback, Experiment = Key, Variant = "variant_a", Unit = "u-1", Id = "verdict-1",
            Ts = sut.Services.GetRequiredService<TimeProvider>().GetUtcNow(), Score = "judge_tone", Value = 1, Source = "judge", CostUsd = 0.25,
            Shadow = true,
        }]);
        await Eventually.TrueAsync(() => quarantine.Attempts >= 3);
        quarantine.Failing = false;
        await Eventually.TrueAsync(async () => (await quarantine.ListAsync(0, 10)).Count == 1);
        await sut.Services.GetServices<IHostedService>().OfType<EventFollower>().Single().CatchUpAsync(CancellationToken.None);

        Assert.Equal(0.25, budget.SpentToday(Key, "tone"), 1e-12);
    }

    [Fact]
    public async Task Follower_ReadsKeepFailing_ReportsResultsStuckAndClearsWhenReadsWork()
    {
        var feed = new FailingFeed();
        await using var sut = await TestHost.StartAsync(services: s => s.AddSingleton<IEventFeed>(sp =>
            feed.Wrap(sp.GetRequiredService<RampartStores>().EventFeed)));
        var health = sut.Services.GetRequiredService<ServerHealth>();

        feed.Failing = true;
        await Eventually.TrueAsync(() => health.Problems.Any(p => p.Problem == HealthProblem.ResultsStuck),
            failure: () => "ResultsStuck was not reported while every read failed");
        using (var response = await sut.Anonymous.GetAsync("/healthz"))
        {
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode); // degraded, yet still serving and recording
            Assert.Equal("degraded", body.GetProperty("status").GetString());
            Assert.Equal("results_stuck", body.GetProperty("reasons")[0].GetProperty("problem").GetString());
        }

        feed.Failing = false;
        await Eventually.TrueAsync(() => health.IsHealthy, failure: () => "ResultsStuck stayed reported after reads worked again");
    }

    [Fact]
    public async Task Healthz_EventsHeldInTheJournal_DegradedYetAnswers200()
    {
        await using var sut = await TestHost.StartAsync();
        sut.Services.GetRequiredService<ServerHealth>().Report(HealthProblem.EventsNotWritten, "the store is down");
        using var response = await sut.Anonymous.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // every call is still served and its events kept
        Assert.Contains("\"events_not_written\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthz_CallsRefusedBecauseTheJournalIsFull_Answers503()
    {
        await using var sut = await TestHost.StartAsync();
        var queue = sut.Services.GetRequiredService<EventQueue>();
        queue.Refuse();
        try
        {
            using var response = await sut.Anonymous.GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }
        finally
        {
            queue.Resume();
        }
    }

    /// <summary>A quarantine store that fails while <see cref="Failing"/>, counting the attempts, as a store that is down does.</summary>
    private sealed class FailingQuarantine
    {
        private int attempts;
        private IQuarantineStore? inner;

        public volatile bool Failing;

        public int Attempts => Volatile.Read(ref attempts);

        public IQuarantineStore Wrap(IQuarantineStore store) => new Store(inner = store, this);

        public Task<IReadOnlyList<QuarantinedEvent>> ListAsync(long after, int limit) => inner!.ListAsync(after, limit);

        private sealed class Store(IQuarantineStore inner, FailingQuarantine owner) : IQuarantineStore
        {
            public Task AddAsync(QuarantinedEvent quarantined, CancellationToken cancellationToken = default)
            {
                Interlocked.Increment(ref owner.attempts);
                return owner.Failing ? throw new IOException("disk I/O error") : inner.AddAsync(quarantined, cancellationToken);
            }

            public Task<IReadOnlyList<QuarantinedEvent>> ListAsync(long after, int limit, CancellationToken cancellationToken = default) =>
                inner.ListAsync(after, limit, cancellationToken);
        }
    }

    private sealed class FailingFeed
    {
        public volatile bool Failing;

        public IEventFeed Wrap(IEventFeed inner) => new Feed(inner, this);

        private sealed class Feed(IEventFeed inner, FailingFeed owner) : IEventFeed
        {
            public Task<IReadOnlyList<StoredEvent>> ReadAfterAsync(long position, int max, CancellationToken cancellationToken = default) =>
                owner.Failing ? throw new IOException("disk I/O error") : inner.ReadAfterAsync(position, max, cancellationToken);

            public Task<ExperimentEvent?> FindCompletionAsync(string requestId, CancellationToken cancellationToken = default) =>
                inner.FindCompletionAsync(requestId, cancellationToken);
        }
    }
}
