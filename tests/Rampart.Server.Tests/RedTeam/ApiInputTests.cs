using System.Net;
using System.Text.Json;
using Rampart.Server.Tests.Events;
using Rampart.Server.Tests.Experiments;
using Rampart.Testing;

namespace Rampart.Server.Tests.RedTeam;

/// <summary>
/// Odd input to the control plane and the ingest API, through a real Kestrel on 127.0.0.1: each is a 4xx naming the field,
/// or is served as documented; never a 5xx, a stored value the readers later refuse, or a silently changed number.
/// </summary>
public sealed class ApiInputTests
{
    private const string Key = "api-input";

    [Theory]
    [InlineData("1e27")]
    [InlineData("79228162514264337593543950335")]
    public async Task CreateAndSetStage_WeightPastAHundredTimesDecimalRange_Is400NamingTheWeight(string weight)
    {
        await using var sut = await TestHost.StartAsync(kestrel: true);
        var json = TestExperiments.Sim(Key).Replace("\"control\": 80,", $"\"control\": {weight},", StringComparison.Ordinal);

        var created = await ControlPlaneTests.SendAsync(sut.Admin, HttpMethod.Post, "/api/experiments", json, HttpStatusCode.BadRequest);
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));
        var staged = await ControlPlaneTests.SendAsync(sut.Admin, HttpMethod.Put, $"/api/experiments/{Key}/stage",
            $$$"""{"weights":{"control":{{{weight}}},"variant_a":0,"variant_b":0}}""", HttpStatusCode.BadRequest);

        Assert.True(created.GetProperty("errors").TryGetProperty("stages[0].weights.control", out _), created.ToString());
        Assert.True(staged.GetProperty("errors").TryGetProperty("weights.control", out _), staged.ToString());
        Assert.Equal([8000, 1000, 1000], (await sut.Experiments.FindAsync(Key))!.Current.Table.Counts);
    }

    [Fact]
    public async Task SetStage_WeightADecimalWouldRound_Is400NamingItAndAnExactExponentIsServed()
    {
        await using var sut = await TestHost.StartAsync(kestrel: true);
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));

        // Before: 1e-300 read as 0 and was served as 0% (more than two decimals, silently rounded).
        var tiny = await ControlPlaneTests.SendAsync(sut.Admin, HttpMethod.Put, $"/api/experiments/{Key}/stage",
            """{"weights":{"control":50,"variant_a":50,"variant_b":1e-300}}""", HttpStatusCode.BadRequest);
        await ControlPlaneTests.SendAsync(sut.Admin, HttpMethod.Put, $"/api/experiments/{Key}/stage", """{"weights":{"control":5e1,"variant_a":2.5E+1,"variant_b":25.00}}""");

        Assert.True(tiny.GetProperty("errors").TryGetProperty("weights.variant_b", out _), tiny.ToString());
        Assert.Equal([5000, 2500, 2500], (await sut.Experiments.FindAsync(Key))!.Current.Table.Counts);
    }

    [Fact]
    public async Task Create_MoreStagesThanAnEventsStageCanName_Is400NamingStages()
    {
        await using var sut = await TestHost.StartAsync(kestrel: true);

        // Promoted, 1001 listed stages serve stage 1001, and every event an experiment records there was quarantined (stage ≤ 1000).
        var problem = await ControlPlaneTests.SendAsync(sut.Admin, HttpMethod.Post, "/api/experiments", WithStages(1001), HttpStatusCode.BadRequest);

        Assert.Contains("at most 1000", problem.GetProperty("errors").GetProperty("stages")[0].GetString(), StringComparison.Ordinal);
        Assert.Empty((await sut.Experiments.ListAsync()).Experiments);
    }

    [Fact]
    public async Task Promote_ExperimentOfTheMostStages_ItsCallsCount()
    {
        await using var sut = await TestHost.StartAsync(kestrel: true);
        await sut.CreateExperimentAsync(WithStages(1000));
        await ControlPlaneTests.SendAsync(sut.Admin, HttpMethod.Post, $"/api/experiments/{Key}/promote", """{"variant":"variant_a"}""");

        using var call = await sut.Ingest.PostAsync("/v1/chat/completions",
            TestHost.Json($$"""{"model":"experiment:{{Key}}","user":"u-1","messages":[{"role":"user","content":"hi"}]}"""));

        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        var stored = await DataPlaneTests.EventuallyAsync(sut, Key, e => e.Count == 2);
        Assert.All(stored, e => Assert.Equal(1000, e.Stage));
        var results = JsonDocument.Parse(await sut.Read.GetStringAsync($"/api/experiments/{Key}/results")).RootElement;
        Assert.Equal(1, results.GetProperty("variants").EnumerateArray().Single(v => v.GetProperty("name").GetString() == "variant_a").GetProperty("requests").GetInt64());
        var quarantined = JsonDocument.Parse(await sut.Admin.GetStringAsync("/api/events/quarantined")).RootElement;
        Assert.Empty(quarantined.GetProperty("events").EnumerateArray());
    }

    [Fact]
    public async Task Create_TensOfThousandsOfUnknownWeights_AnswersAFewHundredProblemsNotMegabytes()
    {
        await using var sut = await TestHost.StartAsync(kestrel: true);
        var unknown = string.Join(",", Enumerable.Range(0, 100_000).Select(i => $"\"x{i}\":0"));
        var json = TestExperiments.Sim(Key).Replace("\"control\": 80,", $"{unknown}, \"control\": 80,", StringComparison.Ordinal);

        using var response = await sut.Admin.PostAsync("/api/experiments", TestHost.Json(json));

        // Before: one problem per name, each naming every variant, 17 MB of answer for a 1.3 MB body.
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(text.Length < 64 * 1024, $"{text.Length} characters");
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.Equal(101, errors.EnumerateObject().Count());
        Assert.True(errors.TryGetProperty("stages[0].weights.x0", out _));
        Assert.Equal("'body': the other 99900 problems are not listed; fix these first", errors.GetProperty("body")[0].GetString());
    }

    [Fact]
    public async Task Pause_TensOfThousandsOfUnknownFields_AnswersAFewHundredProblemsNotMegabytes()
    {
        await using var sut = await TestHost.StartAsync(kestrel: true);
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));
        var body = "{" + string.Join(",", Enumerable.Range(0, 100_000).Select(i => $"\"x{i}\":0")) + "}";

        using var response = await sut.Admin.PostAsync($"/api/experiments/{Key}/pause", TestHost.Json(body));

        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(text.Length < 128 * 1024, $"{text.Length} characters");
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.Equal(201, errors.EnumerateObject().Count());
        Assert.True(errors.TryGetProperty("x0", out _));
        Assert.Equal("'body': the other 99800 problems are not listed; fix these first.", errors.GetProperty("body")[0].GetString());
        Assert.Equal(Core.Rollouts.ExperimentState.Running, (await sut.Experiments.FindAsync(Key))!.State);
    }

    [Fact]
    public Task PostEvents_IdsLongerThanFeedbacksBound_OnSqlite_RejectedNamingTheField() => LongIdsAsync(postgres: null);

    [Fact]
    public async Task PostEvents_IdsLongerThanFeedbacksBound_OnPostgres_RejectedNamingTheField()
    {
        // Before: the index entry was over PostgreSQL's 2704 bytes, so the whole batch failed as a store failure (503, retried
        // for ever), the valid event with it.
        using var postgres = new TestPostgres();
        await LongIdsAsync(postgres.ConnectionString);
    }

    [Fact]
    public async Task PostEventsAndFeedback_ScoreNameOver256Characters_RefusedNamingScore()
    {
        // Before: any score name was taken, and every one is listed in the results, so one client could make each results
        // document, timeline and dashboard page as large as the longest name it sent. /api/feedback took at most 128.
        await using var sut = await TestHost.StartAsync(kestrel: true);
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));
        string Feedback(string unit, string score) =>
            $$"""{"type":"feedback","experiment":"{{Key}}","variant":"control","unit":"{{unit}}","request_id":"r-{{unit}}","ts":"2026-11-01T10:00:00Z","score":"{{score}}","value":1}""";

        var answer = await DataPlaneTests.PostJsonAsync(sut.Ingest, "/api/events",
            Feedback("u-1", new string('s', 257)) + "\n" + Feedback("u-2", new string('s', 256)), "application/x-ndjson");
        using var longest = await sut.Ingest.PostAsync("/api/feedback",
            new StringContent($$"""{"request_id":"r-9","score":"{{new string('s', 256)}}","value":1}""", System.Text.Encoding.UTF8, "application/json"));
        using var tooLong = await sut.Ingest.PostAsync("/api/feedback",
            new StringContent($$"""{"request_id":"r-9","score":"{{new string('s', 257)}}","value":1}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(1, answer.GetProperty("accepted").GetInt32());
        var rejected = Assert.Single(answer.GetProperty("rejected").EnumerateArray());
        Assert.Equal((1, "score", "must be at most 256 characters long, not 257"),
            (rejected.GetProperty("line").GetInt32(), rejected.GetProperty("field").GetString(), rejected.GetProperty("reason").GetString()));
        Assert.Equal(["u-2"], (await sut.StoredAsync(Key)).Select(e => e.Unit));
        Assert.True(longest.IsSuccessStatusCode, $"{(int)longest.StatusCode}: {await longest.Content.ReadAsStringAsync()}");
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("score", await tooLong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timeline_AfterAnEventAtTheLastRepresentableTime_Answers()
    {
        await using var sut = await TestHost.StartAsync(kestrel: true);
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));
        await DataPlaneTests.PostJsonAsync(sut.Ingest, "/api/events", DataPlaneTests.Exposure("u-1", experiment: Key));
        await DataPlaneTests.PostJsonAsync(sut.Ingest, "/api/events",
            DataPlaneTests.Exposure("u-2", "variant_a", Key).Replace("2026-11-01T10:00:00Z", "9999-12-31T23:59:59.99Z", StringComparison.Ordinal));

        // Before: its window ended past DateTimeOffset.MaxValue, and the timeline (the dashboard's charts) was a 500 for good.
        using var response = await sut.Read.GetAsync($"/api/experiments/{Key}/timeline");

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        var timeline = JsonDocument.Parse(text).RootElement;
        Assert.Equal("9999-12-31T23:59:59.9999999Z", timeline.GetProperty("to").GetString());
        Assert.Equal(2, timeline.GetProperty("points").EnumerateArray().Sum(p => p.GetProperty("traffic").EnumerateObject().Sum(t => t.Value.GetInt64())));
    }

    private static async Task LongIdsAsync(string? postgres)
    {
        var settings = postgres is null ? null : new Dictionary<string, string?> { ["storage:sqlite"] = null, ["storage:postgres"] = postgres };
        await using var sut = await TestHost.StartAsync(settings, kestrel: true);
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));
        var random = new Random(5);
        var longId = string.Concat(Enumerable.Range(0, 3000).Select(_ => (char)('a' + random.Next(26))));   // incompressible
        var lines = string.Join("\n",
            DataPlaneTests.Completion("u-1", longId, experiment: Key),
            DataPlaneTests.Completion("u-2", "r-2", id: longId, experiment: Key),
            DataPlaneTests.Completion("u-3", "r-3", id: new string('i', 256), experiment: Key));

        var answer = await DataPlaneTests.PostJsonAsync(sut.Ingest, "/api/events", lines, "application/x-ndjson");

        Assert.Equal(1, answer.GetProperty("accepted").GetInt32());
        Assert.Equal([(1, "request_id"), (2, "id")],
            answer.GetProperty("rejected").EnumerateArray().Select(r => (r.GetProperty("line").GetInt32(), r.GetProperty("field").GetString())));
        Assert.All(answer.GetProperty("rejected").EnumerateArray(),
            r => Assert.Equal("must be at most 256 characters long, not 3000", r.GetProperty("reason").GetString()));
        Assert.Equal(["u-3"], (await sut.StoredAsync(Key)).Select(e => e.Unit));
    }

    private static string WithStages(int count) =>
        TestExperiments.Sim(Key).Replace(
            """{ "weights": { "control": 60, "variant_a": 20, "variant_b": 20 } } ],""",
            string.Join(",", Enumerable.Repeat("""{ "weights": { "control": 60, "variant_a": 20, "variant_b": 20 } }""", count - 1)) + "],",
            StringComparison.Ordinal);
}
