using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Rampart.Core.Events;
using Rampart.Server.Events;
using Rampart.Server.Health;
using Rampart.Storage;
using Rampart.Storage.Sqlite;
using Rampart.Testing;

namespace Rampart.Server.Tests.Events;

public sealed class EventWriterTests
{
    private const string Key = "queue";

    // A JSON Lines body of completions of Key with these ids.
    private static string Lines(params string[] ids) => string.Join("\n", ids.Select(id => DataPlaneTests.Completion("u", "r-" + id, id: id, experiment: Key)));

    [Fact]
    public async Task Events_QueueFull_Answers503WithRetryAfterAndStoresNothingOfIt()
    {
        BlockingEventStore? blocking = null;
        await using var sut = await TestHost.StartAsync(
            new Dictionary<string, string?> { ["events:queue_capacity"] = "5", ["events:retry_after_seconds"] = "2" },
            s => s.AddSingleton<IEventStore>(sp => blocking = new BlockingEventStore(sp.GetRequiredService<RampartStores>().Events)));
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));
        var lines = string.Join("\n", Enumerable.Range(0, 5).Select(i => DataPlaneTests.Exposure($"u{i}", experiment: Key)));

        var filling = sut.Ingest.PostAsync("/api/events", TestHost.Json(lines));
        await Eventually.TrueAsync(() => blocking!.Waiting == 1);
        using var refused = await sut.Ingest.PostAsync("/api/events", TestHost.Json(DataPlaneTests.Exposure("late", experiment: Key)));
        using var refusedCall = await sut.Ingest.PostAsync("/v1/chat/completions",
            TestHost.Json("""{"model":"experiment:queue","user":"u","messages":[{"role":"user","content":"hi"}]}"""));
        blocking!.Open();
        using var filled = await filling;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("2", refused.Headers.RetryAfter!.ToString());
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refusedCall.StatusCode);
        Assert.Equal("queue_full", JsonDocument.Parse(await refusedCall.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, filled.StatusCode);
        Assert.DoesNotContain(await sut.StoredAsync(Key), e => e.Unit is "late" or "u");
        Assert.Equal(5, (await sut.StoredAsync(Key)).Count);
    }

    [Fact]
    public Task Events_BatchesQueuedTogether_OneTransactionAndEachSenderHearsItsOwnCounts() => BatchesQueuedTogetherAsync(postgres: null);

    [Fact]
    public async Task Events_BatchesQueuedTogetherOnPostgres_OneTransactionAndEachSenderHearsItsOwnCounts()
    {
        // On PostgreSQL the joined transaction first meets the stored duplicate at the unique index, and is retried
        // serialised with the look-up: the counts must come out the same.
        using var postgres = new TestPostgres();
        await BatchesQueuedTogetherAsync(postgres);
    }

    private static async Task BatchesQueuedTogetherAsync(TestPostgres? postgres)
    {
        // One writer, so the batches queue behind the first instead of taking a second transaction.
        var settings = postgres is null ? new Dictionary<string, string?>()
            : new() { ["storage:sqlite"] = null, ["storage:postgres"] = postgres.ConnectionString, ["events:writers"] = "1" };
        BlockingEventStore? blocking = null;
        await using var sut = await TestHost.StartAsync(settings,
            services: s => s.AddSingleton<IEventStore>(sp => blocking = new BlockingEventStore(sp.GetRequiredService<RampartStores>().Events)));
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));
        var queue = sut.Services.GetRequiredService<EventQueue>();

        // The writer takes the first batch and waits at the gate; the next three queue behind it, in this order.
        var holding = DataPlaneTests.PostJsonAsync(sut.Ingest, "/api/events", Lines("x0"));
        await Eventually.TrueAsync(() => blocking!.Waiting == 1);
        var posts = new List<Task<JsonElement>>();
        string[][] batches = [["a1", "a2", "a3"], ["a2", "b1", "b1"], ["x0", "c1"]];
        var depth = 1L;
        foreach (var ids in batches)
        {
            // Room is reserved and the batch queued in one synchronous step, so the depth says it is in the queue.
            posts.Add(DataPlaneTests.PostJsonAsync(sut.Ingest, "/api/events", Lines(ids)));
            depth += ids.Length;
            await Eventually.TrueAsync(() => queue.Depth == depth);
        }

        blocking!.Open();
        await holding;
        var counts = new List<(int, int)>();
        foreach (var post in posts)
        {
            var body = await post;
            counts.Add((body.GetProperty("accepted").GetInt32(), body.GetProperty("duplicates").GetInt32()));
        }

        // a2 is the first batch's, b1 repeats within its batch, x0 was stored before: as if committed one after another.
        Assert.Equal([(3, 0), (1, 2), (1, 1)], counts);
        Assert.Equal(2, blocking.Waiting);
        Assert.Equal(["x0", "a1", "a2", "a3", "b1", "c1"], (await sut.StoredAsync(Key)).Select(e => e.Id));
    }

    [Fact]
    public async Task Events_JoinedTransactionFails_EachBatchIsWrittenAloneAndHearsItsOwnOutcome()
    {
        BlockingEventStore? blocking = null;
        await using var sut = await TestHost.StartAsync(
            services: s => s.AddSingleton<IEventStore>(sp =>
                blocking = new BlockingEventStore(new RefusesMoreThan(3, sp.GetRequiredService<RampartStores>().Events))));
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));
        var queue = sut.Services.GetRequiredService<EventQueue>();

        var holding = DataPlaneTests.PostJsonAsync(sut.Ingest, "/api/events", Lines("x0"));
        await Eventually.TrueAsync(() => blocking!.Waiting == 1);
        var first = DataPlaneTests.PostJsonAsync(sut.Ingest, "/api/events", Lines("a1", "a2"));
        await Eventually.TrueAsync(() => queue.Depth == 3);
        var second = DataPlaneTests.PostJsonAsync(sut.Ingest, "/api/events", Lines("b1", "b2"));
        await Eventually.TrueAsync(() => queue.Depth == 5);
        blocking!.Open();
        await holding;

        // The joined transaction of four events is refused; each batch of two is then stored on its own.
        Assert.Equal(2, (await first).GetProperty("accepted").GetInt32());
        Assert.Equal(2, (await second).GetProperty("accepted").GetInt32());
        Assert.Equal(4, blocking.Waiting);
        Assert.Equal(["a1", "a2", "b1", "b2", "x0"], (await sut.StoredAsync(Key)).Select(e => e.Id).Order());
    }

    [Fact]
    public async Task Events_JoinedTransactionFindsTheStoreUnreachable_EverySenderHearsAtOnceWithoutMoreAttempts()
    {
        BlockingEventStore? blocking = null;
        await using var sut = await TestHost.StartAsync(
            services: s => s.AddSingleton<IEventStore>(sp => blocking = new BlockingEventStore(new UnreachableAfterFirst(sp.GetRequiredService<RampartStores>().Events))));
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));
        var queue = sut.Services.GetRequiredService<EventQueue>();

        var holding = sut.Ingest.PostAsync("/api/events", TestHost.Json(Lines("x0")));
        await Eventually.TrueAsync(() => blocking!.Waiting == 1);
        var first = sut.Ingest.PostAsync("/api/events", TestHost.Json(Lines("a1", "a2")));
        await Eventually.TrueAsync(() => queue.Depth == 3);
        var second = sut.Ingest.PostAsync("/api/events", TestHost.Json(Lines("b1", "b2")));
        await Eventually.TrueAsync(() => queue.Depth == 5);
        blocking!.Open();
        HttpResponseMessage[] answers = [await holding, await first, await second];

        // The first batch is stored; the joined transaction of the next two met the unreachable store once, and no batch
        // was tried alone after it.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable], answers.Select(a => a.StatusCode));
        Assert.Equal(2, blocking.Waiting);
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }

    /// <summary>A store that stores the first transaction, then fails every time, as an unreachable database's connection does.</summary>
    private sealed class UnreachableAfterFirst(IEventStore inner) : IEventStore
    {
        private int calls;

        public Task<AppendResult> AppendAsync(IReadOnlyList<ExperimentEvent> events, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref calls) == 1 ? inner.AppendAsync(events, cancellationToken) : throw new UnreachableStoreException();

        public IAsyncEnumerable<ExperimentEvent> ReadAsync(string experiment, CancellationToken cancellationToken = default) => inner.ReadAsync(experiment, cancellationToken);
    }

    private sealed class UnreachableStoreException() : System.Data.Common.DbException("connection refused")
    {
        public override bool IsTransient => true;
    }

    /// <summary>A store that fails any transaction of more than <paramref name="most"/> events.</summary>
    private sealed class RefusesMoreThan(int most, IEventStore inner) : IEventStore
    {
        public Task<AppendResult> AppendAsync(IReadOnlyList<ExperimentEvent> events, CancellationToken cancellationToken = default) =>
            events.Count > most ? throw new IOException($"{events.Count} events in one transaction") : inner.AppendAsync(events, cancellationToken);

        public IAsyncEnumerable<ExperimentEvent> ReadAsync(string experiment, CancellationToken cancellationToken = default) => inner.ReadAsync(experiment, cancellationToken);
    }

    [Fact]
    public async Task Events_TwoWriters_ASecondBatchIsWrittenWhileTheFirstWaitsAndEachHearsItsCounts()
    {
        BlockingEventStore? blocking = null;
        await using var sut = await TestHost.StartAsync(
            new Dictionary<string, string?> { ["events:writers"] = "2" },
            s => s.AddSingleton<IEventStore>(sp => blocking = new BlockingEventStore(sp.GetRequiredService<RampartStores>().Events)));
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));

        var first = DataPlaneTests.PostJsonAsync(sut.Ingest, "/api/events", Lines("a1", "a2"));
        await Eventually.TrueAsync(() => blocking!.Waiting == 1);
        var second = DataPlaneTests.PostJsonAsync(sut.Ingest, "/api/events", Lines("b1", "a1"));
        await Eventually.TrueAsync(() => blocking!.Waiting == 2);
        blocking!.Open();
        var counts = new[] { await first, await second }.Select(b => (b.GetProperty("accepted").GetInt32(), b.GetProperty("duplicates").GetInt32()));

        // SQLite takes the two transactions one after the other; a1 is stored once, by whichever commits first.
        Assert.Equal(3, counts.Sum(c => c.Item1));
        Assert.Equal(1, counts.Sum(c => c.Item2));
        Assert.Equal(["a1", "a2", "b1"], (await sut.StoredAsync(Key)).Select(e => e.Id).Order());
    }

    [Fact]
    public async Task Events_Acknowledged_AreInTheStoreWhenTheAnswerArrives()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));

        for (var i = 0; i < 20; i++)
        {
            await DataPlaneTests.PostJsonAsync(sut.Ingest, "/api/events", DataPlaneTests.Exposure($"u{i}", experiment: Key));
            Assert.Equal(i + 1, (await sut.StoredAsync(Key)).Count);
        }
    }

    [Fact]
    public async Task Shutdown_WithEventsQueued_DrainsThemAllToTheStore()
    {
        using var folder = new TempDirectory();
        BlockingEventStore? blocking = null;
        var sut = await TestHost.StartAsync(
            services: s => s.AddSingleton<IEventStore>(sp => blocking = new BlockingEventStore(sp.GetRequiredService<RampartStores>().Events)),
            folder: folder);
        var sink = sut.Services.GetRequiredService<IEventSink>();
        for (var i = 0; i < 1_000; i++)
        {
            await sink.WriteAsync(EventLineParser.Parse(DataPlaneTests.Exposure($"u{i}", experiment: "durable"), 1));
        }

        await Eventually.TrueAsync(() => blocking!.Waiting == 1);
        var stopping = sut.StopAsync();
        await Task.Delay(50);
        blocking!.Open();
        await stopping;
        await sut.DisposeAsync();

        var stored = new List<ExperimentEvent>();
        await foreach (var e in new SqliteEventStore(folder.File("rampart.db")).ReadAsync("durable"))
        {
            stored.Add(e);
        }

        Assert.Equal(1_000, stored.Count);
        Assert.Equal(1_000, stored.Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public async Task Gateway_EventsComingFasterThanCommits_OneTransactionAtMostEveryLinger()
    {
        // A store taking 10 ms a transaction and gateway events every 2 ms or so: a writer that began its next transaction
        // as soon as the last one ended would commit every 10 ms or so; with a linger of 50 ms it begins one at most every 50 ms.
        TimedEventStore? timed = null;
        await using var sut = await TestHost.StartAsync(
            new Dictionary<string, string?> { ["events:gateway_linger"] = "50ms" },
            s => s.AddSingleton<IEventStore>(sp => timed = new TimedEventStore(TimeSpan.FromMilliseconds(10), sp.GetRequiredService<RampartStores>().Events)));
        var sink = sut.Services.GetRequiredService<IEventSink>();

        // One event first, so the writer's first-time work (compiling, its retry pipeline) is not in a measured gap.
        await sink.WriteAsync(EventLineParser.Parse(DataPlaneTests.Exposure("warm", experiment: "lingering"), 1));
        await Eventually.TrueAsync(async () => (await sut.StoredAsync("lingering")).Count == 1);
        var warm = timed!.Starts.Count;
        for (var i = 0; i < 150; i++)
        {
            await sink.WriteAsync(EventLineParser.Parse(DataPlaneTests.Exposure($"u{i}", experiment: "lingering"), 1));
            await Task.Delay(2);
        }

        await Eventually.TrueAsync(async () => (await sut.StoredAsync("lingering")).Count == 151);
        var starts = timed.Starts[warm..];
        Assert.InRange(starts.Count, 3, 150);
        var gaps = starts.Zip(starts.Skip(1), (a, b) => b - a).ToList();

        // The gap is measured at the store, a little after the writer noted the start: 15 ms of slack for a busy machine.
        Assert.All(gaps, gap => Assert.True(gap >= TimeSpan.FromMilliseconds(35), $"transactions began {gap.TotalMilliseconds:F1} ms apart: {string.Join(", ", gaps.Select(g => g.TotalMilliseconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))}"));
    }

    [Fact]
    public async Task Gateway_QueueHalfFull_TheWriterStopsLingeringRatherThanRefuseCalls()
    {
        // On a clock that stands still a linger never ends by itself: it outlasts any stall, as a 50 ms linger outlasts the
        // 17 ms a 200-event queue gives at six events a millisecond once half of it waits. A writer that lingered however full
        // the queue is would hold every event until the queue refused calls; this one must take them to the store each time
        // half the queue (100 of 200) waits. The test waits for just that before writing on, so no store stall or busy core
        // can fail it, and no write can find the queue full (it would throw EventQueueFullException).
        var time = new FakeTimeProvider(SeedExperiment.Epoch);
        await using var sut = await TestHost.StartAsync(
            new Dictionary<string, string?> { ["events:gateway_linger"] = "50ms", ["events:queue_capacity"] = "200" },
            s => s.AddSingleton<TimeProvider>(time));
        var sink = sut.Services.GetRequiredService<IEventSink>();
        var queue = sut.Services.GetRequiredService<EventQueue>();
        var half = queue.Capacity / 2;

        const int Events = 1_800;
        for (var written = 1; written <= Events; written++)
        {
            await sink.WriteAsync(EventLineParser.Parse(DataPlaneTests.Exposure($"u{written}", experiment: "half-full"), 1));
            if (queue.Depth >= half)
            {
                await Eventually.TrueAsync(() => queue.Depth < half,
                    failure: () => $"{queue.Depth} of {queue.Capacity} events wait after {written} were written and the writer still lingers: the queue fills and refuses calls");
            }
        }

        // The last events, fewer than half the queue, end their linger only when the clock moves.
        await Eventually.TrueAsync(time, TimeSpan.FromMilliseconds(50), async () => (await sut.StoredAsync("half-full")).Count == Events);
    }

    [Fact]
    public async Task Replay_JournalCutShortUnderTheWriter_ReportedAndRetriedWhileServingThenReplayedOnceReadable()
    {
        using var folder = new TempDirectory();
        var store = new SwitchedStore();
        await using var sut = await TestHost.StartAsync(
            new Dictionary<string, string?> { ["events:journal_path"] = folder.File("events.journal") },
            s => s.AddSingleton<IEventStore>(sp => store.Wrap(sp.GetRequiredService<RampartStores>().Events)));
        var journal = sut.Services.GetRequiredService<EventJournal>();
        var health = sut.Services.GetRequiredService<ServerHealth>();
        var writer = sut.Services.GetServices<IHostedService>().OfType<EventWriter>().Single();
        var sink = sut.Services.GetRequiredService<IEventSink>();

        // The store fails: the gateway's events are kept in the journal.
        store.Failing = true;
        for (var i = 0; i < 3; i++)
        {
            await sink.WriteAsync(EventLineParser.Parse(DataPlaneTests.Exposure($"u{i}", experiment: "unreadable"), 1));
        }

        await Eventually.TrueAsync(() => journal.HeldEvents == 3);

        // The file is cut to nothing under the writer (the file is the writer's alone, so by a process of another kind),
        // the store still failing: the next replay fails reading the journal, before it offers anything to the store.
        var saved = folder.File("saved.journal");
        Run("cp", journal.Path, saved);
        Run("truncate", "-s", "0", journal.Path);
        await Eventually.TrueAsync(() => writer.ExecuteTask!.IsCompleted || Unreadable(health) is not null);

        Assert.False(writer.ExecuteTask!.IsCompleted, $"the writer stopped: {writer.ExecuteTask.Exception?.InnerException}");
        Assert.False(sut.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested, "the server is stopping");
        Assert.Contains("3 events are held", Unreadable(health), StringComparison.Ordinal);
        Assert.Equal(3, journal.HeldEvents);

        // The file is whole again and the store returns: the events are stored, in order, and the problem clears.
        Run("cp", saved, journal.Path);
        store.Failing = false;
        await Eventually.TrueAsync(() => health.IsHealthy && journal.HeldEvents == 0, failure: () => string.Join("; ", health.Problems));
        Assert.Equal(["u0", "u1", "u2"], (await sut.StoredAsync("unreadable")).Select(e => e.Unit));
    }

    private static string? Unreadable(ServerHealth health) =>
        health.Problems.Where(p => p.Problem == HealthProblem.EventsNotWritten && p.Reason.Contains("cannot be read", StringComparison.Ordinal))
            .Select(p => p.Reason).FirstOrDefault();

    /// <summary>Runs a command (coreutils), failing the test when it fails.</summary>
    private static void Run(params string[] command)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(command[0], command[1..]) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{string.Join(' ', command)}: {error}");
    }

    /// <summary>A store that fails every transaction while <see cref="Failing"/>, as an unreachable database does.</summary>
    private sealed class SwitchedStore
    {
        public volatile bool Failing;

        public IEventStore Wrap(IEventStore inner) => new Store(inner, this);

        private sealed class Store(IEventStore inner, SwitchedStore owner) : IEventStore
        {
            public Task<AppendResult> AppendAsync(IReadOnlyList<ExperimentEvent> events, CancellationToken cancellationToken = default) =>
                owner.Failing ? throw new IOException("connection refused") : inner.AppendAsync(events, cancellationToken);

            public IAsyncEnumerable<ExperimentEvent> ReadAsync(string experiment, CancellationToken cancellationToken = default) => inner.ReadAsync(experiment, cancellationToken);
        }
    }

    /// <summary>Notes when each transaction begins and takes <paramref name="delay"/> before handing it on.</summary>
    private sealed class TimedEventStore(TimeSpan delay, IEventStore inner) : IEventStore
    {
        private readonly List<TimeSpan> starts = [];
        private readonly System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();

        public List<TimeSpan> Starts
        {
            get
            {
                lock (starts)
                {
                    return [.. starts];
                }
            }
        }

        public async Task<AppendResult> AppendAsync(IReadOnlyList<ExperimentEvent> events, CancellationToken cancellationToken = default)
        {
            lock (starts)
            {
                starts.Add(clock.Elapsed);
            }

            await Task.Delay(delay, cancellationToken);
            return await inner.AppendAsync(events, cancellationToken);
        }

        public IAsyncEnumerable<ExperimentEvent> ReadAsync(string experiment, CancellationToken cancellationToken = default) => inner.ReadAsync(experiment, cancellationToken);
    }
}
