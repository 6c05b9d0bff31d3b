using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Rampart.Core.Events;
using Rampart.Testing;

namespace Rampart.Server.Tests.Events;

public sealed class DataPlaneTests
{
    private const string Key = "data-plane";

    [Fact]
    public async Task Assign_RunningExperiment_AnswersVariantConfigStageReasonAndLogsExposure()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));

        using var response = await sut.Ingest.PostAsync("/api/assign", TestHost.Json("""{"experiment":"data-plane","unit":"user-123"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var expected = new Rampart.Core.Rollouts.ExperimentAssigner((await sut.Experiments.FindAsync(Key))!).Assign("user-123");
        Assert.Equal(expected.Variant.Name, body.GetProperty("variant").GetString());
        Assert.Equal(expected.Variant.Config.Model, body.GetProperty("config").GetProperty("model").GetString());
        Assert.Equal(0, body.GetProperty("stage").GetInt32());
        Assert.Equal("allocated", body.GetProperty("reason").GetString());
        var exposure = await EventuallyAsync(sut, Key, events => events.Count == 1);
        Assert.Equal(EventType.Exposure, exposure[0].Type);
        Assert.Equal("user-123", exposure[0].Unit);
    }

    [Fact]
    public async Task Assign_DraftExperiment_GivesControlWithReason()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key), start: false);

        var body = await PostJsonAsync(sut.Ingest, "/api/assign", """{"experiment":"data-plane","unit":"u","log_exposure":false}""");

        Assert.Equal("control", body.GetProperty("variant").GetString());
        Assert.Equal("not_started", body.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Assign_DraftExperiment_LogsNoExposure()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key), start: false);

        var draft = await PostJsonAsync(sut.Ingest, "/api/assign", """{"experiment":"data-plane","unit":"u-draft"}""");
        using (var started = await sut.Admin.PostAsync($"/api/experiments/{Key}/start", null))
        {
            Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        }

        var running = await PostJsonAsync(sut.Ingest, "/api/assign", """{"experiment":"data-plane","unit":"u-running"}""");

        Assert.Equal(("not_started", "allocated"), (draft.GetProperty("reason").GetString(), running.GetProperty("reason").GetString()));
        await EventuallyAsync(sut, Key, events => events.Count >= 1);
        await Task.Delay(200);
        Assert.Equal(["u-running"], (await sut.StoredAsync(Key)).Select(e => e.Unit));
    }

    [Fact]
    public async Task Assign_TargetedExperiment_OthersGetTheControlUnloggedAndTheTargetedCarryTheirAttributes()
    {
        await using var sut = await TestHost.StartAsync();
        var targeted = TestExperiments.Sim(Key).TrimEnd()[..^1]
            + """, "targeting": {"all": [{"attribute": "plan", "in": ["pro", "team"]}]}, "segments": ["country"]}""";
        await sut.CreateExperimentAsync(targeted);

        var free = await PostJsonAsync(sut.Ingest, "/api/assign", """{"experiment":"data-plane","unit":"u-free","attributes":{"plan":"free","country":"FR"}}""");
        var pro = await PostJsonAsync(sut.Ingest, "/api/assign", """{"experiment":"data-plane","unit":"u-pro","attributes":{"plan":"pro","country":"FR","seats":3}}""");
        using var bad = await sut.Ingest.PostAsync("/api/assign", TestHost.Json("""{"experiment":"data-plane","unit":"u","attributes":{"plan":["pro"]}}"""));

        Assert.Equal(("control", "not_targeted"), (free.GetProperty("variant").GetString(), free.GetProperty("reason").GetString()));
        Assert.Equal("allocated", pro.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("attributes.plan must be a string, a finite number or a boolean", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await EventuallyAsync(sut, Key, events => events.Count >= 1);
        await Task.Delay(200);
        var stored = Assert.Single(await sut.StoredAsync(Key));
        Assert.Equal(("u-pro", """{"plan":"pro","country":"FR"}"""), (stored.Unit, stored.Attributes));   // the targeting's and the segments', not seats
    }

    [Fact]
    public async Task Events_JsonArray_AcknowledgedOnlyOnceStored()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));

        var body = await PostJsonAsync(sut.Ingest, "/api/events", $"[{Exposure("u1")},{Completion("u1", "r-1")}]");

        Assert.Equal(2, body.GetProperty("accepted").GetInt32());
        Assert.Equal(0, body.GetProperty("duplicates").GetInt32());
        Assert.Equal(0, body.GetProperty("rejected").GetArrayLength());
        var stored = await sut.StoredAsync(Key);
        Assert.Equal(2, stored.Count);
        Assert.All(stored, e => Assert.True(Guid.TryParse(e.Id, out var id) && id.Version == 7));
    }

    [Fact]
    public async Task Events_JsonLines_StoredInOrder()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));
        var lines = string.Join("\n", Enumerable.Range(0, 50).Select(i => Completion($"u{i}", $"r-{i}")));

        var body = await PostJsonAsync(sut.Ingest, "/api/events", lines + "\n", "application/x-ndjson");

        Assert.Equal(50, body.GetProperty("accepted").GetInt32());
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"r-{i}"), (await sut.StoredAsync(Key)).Select(e => e.RequestId));
    }

    [Fact]
    public async Task Events_SameIdsTwice_SecondTimeAllDuplicates()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));
        var lines = $"{Completion("u1", "r-1", id: "e-1")}\n{Completion("u2", "r-2", id: "e-2")}\n{Completion("u2", "r-2", id: "e-2")}";

        var first = await PostJsonAsync(sut.Ingest, "/api/events", lines);
        var second = await PostJsonAsync(sut.Ingest, "/api/events", lines);

        Assert.Equal((2, 1), (first.GetProperty("accepted").GetInt32(), first.GetProperty("duplicates").GetInt32()));
        Assert.Equal((0, 3), (second.GetProperty("accepted").GetInt32(), second.GetProperty("duplicates").GetInt32()));
        Assert.Equal(2, (await sut.StoredAsync(Key)).Count);
    }

    [Fact]
    public async Task Events_SomeLinesBad_RejectsThemWithLineFieldAndReason_StoresTheRest()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));
        var lines = string.Join("\n",
            Completion("u1", "r-1"),
            """{"type":"completion","experiment":"data-plane","variant":"control","unit":"u","ts":"2026-11-01T10:00:00Z","latency_ms":-5}""",
            "not json",
            Completion("u2", "r-2").Replace("\"control\"", "\"nope\"", StringComparison.Ordinal),
            Completion("u3", "r-3").Replace("data-plane", "no-such-experiment", StringComparison.Ordinal),
            "",
            Exposure("u4"));

        var body = await PostJsonAsync(sut.Ingest, "/api/events", lines);

        Assert.Equal(2, body.GetProperty("accepted").GetInt32());
        var rejected = body.GetProperty("rejected").EnumerateArray()
            .Select(r => (r.GetProperty("line").GetInt32(), r.GetProperty("field").GetString())).ToList();
        Assert.Equal([(2, "latency_ms"), (3, "line"), (4, "variant"), (5, "experiment")], rejected);
        Assert.All(body.GetProperty("rejected").EnumerateArray(), r => Assert.False(string.IsNullOrEmpty(r.GetProperty("reason").GetString())));
        Assert.Equal(2, (await sut.StoredAsync(Key)).Count);
    }

    [Fact]
    public async Task Events_ArrayWithBadItem_ReportsItsIndex()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));

        var body = await PostJsonAsync(sut.Ingest, "/api/events", $"[{Exposure("u1")}, 42, {Exposure("u2")}]");

        Assert.Equal(2, body.GetProperty("accepted").GetInt32());
        Assert.Equal(1, body.GetProperty("rejected")[0].GetProperty("index").GetInt32());
    }

    [Fact]
    public async Task Feedback_AfterCompletion_IsJoinedToItsExperimentVariantAndUnit()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));
        await PostJsonAsync(sut.Ingest, "/api/events", Completion("user-9", "r-9", variant: "variant_a"));

        var body = await PostJsonAsync(sut.Ingest, "/api/feedback", """{"request_id":"r-9","score":"user_satisfaction","value":1,"comment":"Very helpful!"}""");

        Assert.Equal("stored", body.GetProperty("status").GetString());
        var feedback = (await sut.StoredAsync(Key)).Single(e => e.Type == EventType.Feedback);
        Assert.Equal(("variant_a", "user-9", "r-9", 1.0, "Very helpful!"), (feedback.Variant, feedback.Unit, feedback.RequestId, feedback.Value!.Value, feedback.Comment));
    }

    [Fact]
    public async Task Feedback_BeforeItsCompletion_IsKeptThenJoinedWhenTheCompletionLands()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));

        using var early = await sut.Ingest.PostAsync("/api/feedback", TestHost.Json("""{"request_id":"r-late","score":"user_satisfaction","value":true}"""));
        Assert.Equal(HttpStatusCode.Accepted, early.StatusCode);
        Assert.Equal("pending", JsonDocument.Parse(await early.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        Assert.Empty(await sut.StoredAsync(Key));

        await PostJsonAsync(sut.Ingest, "/api/events", Completion("user-late", "r-late", variant: "variant_b"));

        var stored = await EventuallyAsync(sut, Key, events => events.Any(e => e.Type == EventType.Feedback));
        var feedback = stored.Single(e => e.Type == EventType.Feedback);
        Assert.Equal(("variant_b", "user-late", 1.0), (feedback.Variant, feedback.Unit, feedback.Value!.Value));
    }

    [Fact]
    public async Task Feedback_PendingAtShutdown_IsJoinedAfterRestart()
    {
        using var folder = new Rampart.Testing.TempDirectory();
        await using (var first = await TestHost.StartAsync(folder: folder))
        {
            await first.CreateExperimentAsync(TestExperiments.Sim(Key));
            using var early = await first.Ingest.PostAsync("/api/feedback", TestHost.Json("""{"request_id":"r-x","score":"s","value":3}"""));
            Assert.Equal(HttpStatusCode.Accepted, early.StatusCode);
        }

        // The completion lands while no server runs (an import), then the server starts again.
        await new Rampart.Storage.Sqlite.SqliteEventStore(folder.File("rampart.db")).AppendAsync([EventLineParser.Parse(Completion("u-x", "r-x"), 1)]);
        await using var second = await TestHost.StartAsync(folder: folder);

        var stored = await EventuallyAsync(second, Key, events => events.Any(e => e.Type == EventType.Feedback));
        Assert.Equal(3.0, stored.Single(e => e.Type == EventType.Feedback).Value);
    }

    [Fact]
    public async Task Feedback_PendingLongerThanItsTtl_IsDroppedAndNeverJoined()
    {
        await using var sut = await TestHost.StartAsync(new Dictionary<string, string?> { ["feedback:pending_ttl"] = "1h" });
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));
        using var old = await sut.Ingest.PostAsync("/api/feedback", TestHost.Json("""{"request_id":"r-old","score":"s","value":1,"ts":"2020-01-01T00:00:00Z"}"""));
        using var recent = await sut.Ingest.PostAsync("/api/feedback", TestHost.Json("""{"request_id":"r-new","score":"s","value":1}"""));
        var joiner = sut.Services.GetRequiredService<Rampart.Server.Events.FeedbackJoiner>();

        var oldAnswer = JsonDocument.Parse(await old.Content.ReadAsStringAsync()).RootElement;
        var recentAnswer = JsonDocument.Parse(await recent.Content.ReadAsStringAsync()).RootElement;

        var expired = await joiner.ExpireAsync(DateTimeOffset.UtcNow.AddHours(-1), CancellationToken.None);
        await PostJsonAsync(sut.Ingest, "/api/events", $"{Completion("u-old", "r-old")}\n{Completion("u-new", "r-new")}");

        Assert.Equal(1, expired);
        Assert.Equal(("pending", "2020-01-01T01:00:00Z"), (oldAnswer.GetProperty("status").GetString(), oldAnswer.GetProperty("pending_until").GetString()));
        var recentUntil = DateTimeOffset.Parse(recentAnswer.GetProperty("pending_until").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(recentUntil - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        // The exporter serves a cached scrape for a moment: ask again until the count is in it.
        const string Dropped = @"rampart_feedback_pending_dropped_total\{[^}]*rampart_reason=""expired""[^}]*\} 1\b";
        var scrape = await sut.Read.GetStringAsync("/metrics");
        for (var i = 0; i < 100 && !System.Text.RegularExpressions.Regex.IsMatch(scrape, Dropped); i++)
        {
            await Task.Delay(100);
            scrape = await sut.Read.GetStringAsync("/metrics");
        }

        Assert.Matches(Dropped, scrape);
        var feedback = (await EventuallyAsync(sut, Key, e => e.Any(x => x.Type == EventType.Feedback))).Where(e => e.Type == EventType.Feedback);
        Assert.Equal(["r-new"], feedback.Select(f => f.RequestId));
        // The joined piece leaves the pending store just after its feedback event is stored: give it that moment.
        var pending = sut.Services.GetRequiredService<IPendingFeedbackStore>();
        await Eventually.TrueAsync(async () => (await pending.ListAsync()).Count == 0);
        Assert.Equal(1, await pending.CountExpiredAsync());
    }

    internal static string Exposure(string unit, string variant = "control", string experiment = Key) =>
        $$"""{"type":"exposure","experiment":"{{experiment}}","variant":"{{variant}}","unit":"{{unit}}","ts":"2026-11-01T10:00:00Z"}""";

    internal static string Completion(string unit, string requestId, string variant = "control", string? id = null, double latency = 1234.5, string experiment = Key) =>
        $$"""{"type":"completion","experiment":"{{experiment}}","variant":"{{variant}}","unit":"{{unit}}","request_id":"{{requestId}}","ts":"2026-11-01T10:00:01Z",{{(id is null ? "" : $"\"id\":\"{id}\",")}}"latency_ms":{{latency.ToString(System.Globalization.CultureInfo.InvariantCulture)}},"prompt_tokens":120,"completion_tokens":80,"cost_usd":0.0084,"error":null}""";

    internal static async Task<JsonElement> PostJsonAsync(HttpClient client, string path, string body, string contentType = "application/json")
    {
        using var response = await client.PostAsync(path, new StringContent(body, Encoding.UTF8, contentType));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The experiment's stored events, once <paramref name="done"/> holds for them.</summary>
    internal static async Task<List<ExperimentEvent>> EventuallyAsync(TestHost host, string key, Func<List<ExperimentEvent>, bool> done)
    {
        List<ExperimentEvent> events = [];
        await Eventually.TrueAsync(async () => done(events = await host.StoredAsync(key)), failure: () => Task.FromResult($"{events.Count} events stored"));
        return events;
    }
}
