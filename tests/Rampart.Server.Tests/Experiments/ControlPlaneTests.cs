using System.Net;
using System.Text.Json;
using Rampart.Server.Tests.Events;

namespace Rampart.Server.Tests.Experiments;

public sealed class ControlPlaneTests
{
    private const string Key = "control-plane";

    [Fact]
    public async Task Lifecycle_CreateStartAdvanceStageRollbackPromote_EachServedAndAudited()
    {
        await using var sut = await TestHost.StartAsync();

        var created = await SendAsync(sut.Admin, HttpMethod.Post, "/api/experiments", TestExperiments.Sim(Key), HttpStatusCode.Created);
        Assert.Equal("draft", created.GetProperty("state").GetString());
        var started = await SendAsync(sut.Admin, HttpMethod.Post, $"/api/experiments/{Key}/start", "");
        Assert.Equal("running", started.GetProperty("state").GetString());
        var advanced = await SendAsync(sut.Admin, HttpMethod.Post, $"/api/experiments/{Key}/advance", """{"reason":"looks fine"}""");
        Assert.Equal(1, advanced.GetProperty("stage").GetInt32());
        Assert.Equal(20, advanced.GetProperty("weights").GetProperty("variant_a").GetDecimal());
        var staged = await SendAsync(sut.Admin, HttpMethod.Put, $"/api/experiments/{Key}/stage", """{"weights":{"control":50,"variant_a":25,"variant_b":25}}""");
        Assert.Equal(25, staged.GetProperty("weights").GetProperty("variant_b").GetDecimal());
        var paused = await SendAsync(sut.Admin, HttpMethod.Post, $"/api/experiments/{Key}/pause", "{}");
        Assert.Equal("paused", paused.GetProperty("state").GetString());
        await SendAsync(sut.Admin, HttpMethod.Post, $"/api/experiments/{Key}/start", "");
        var rolledBack = await SendAsync(sut.Admin, HttpMethod.Post, $"/api/experiments/{Key}/rollback", """{"variant":"variant_b","reason":"errors"}""");
        Assert.Equal("errors", rolledBack.GetProperty("rolled_back").GetProperty("variant_b").GetString());
        Assert.Equal(0, rolledBack.GetProperty("weights").GetProperty("variant_b").GetDecimal());
        var promoted = await SendAsync(sut.Admin, HttpMethod.Post, $"/api/experiments/{Key}/promote", """{"variant":"variant_a"}""");
        Assert.Equal(("completed", "variant_a"), (promoted.GetProperty("state").GetString(), promoted.GetProperty("winner").GetString()));

        var assigned = await DataPlaneTests.PostJsonAsync(sut.Ingest, "/api/assign", $$"""{"experiment":"{{Key}}","unit":"anyone","log_exposure":false}""");
        Assert.Equal(("variant_a", "promoted"), (assigned.GetProperty("variant").GetString(), assigned.GetProperty("reason").GetString()));
        var audit = await SendAsync(sut.Read, HttpMethod.Get, $"/api/experiments/{Key}/audit", null);
        Assert.Equal(["create", "start", "advance", "stage", "pause", "start", "rollback", "promote"],
            audit.EnumerateArray().Select(a => a.GetProperty("action").GetString()));
        Assert.All(audit.EnumerateArray(), a => Assert.Equal("admin", a.GetProperty("who").GetString()));
        Assert.Equal("looks fine", audit[2].GetProperty("reason").GetString());
        Assert.Equal("variant_b", audit[6].GetProperty("variant").GetString());
    }

    [Fact]
    public async Task ListAndShow_ReturnTheExperimentWithItsRangeTable()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));

        var list = await SendAsync(sut.Read, HttpMethod.Get, "/api/experiments", null);
        var shown = await SendAsync(sut.Ingest, HttpMethod.Get, $"/api/experiments/{Key}", null);

        Assert.Equal(Key, list.EnumerateArray().Single().GetProperty("key").GetString());
        var ranges = shown.GetProperty("allocation").GetProperty("ranges").EnumerateArray()
            .Select(r => (r.GetProperty("variant").GetString(), r.GetProperty("start").GetInt32(), r.GetProperty("end").GetInt32())).ToList();
        Assert.Equal([("control", 0, 8000), ("variant_a", 8000, 9000), ("variant_b", 9000, 10000)], ranges);
        Assert.Equal("sim-large", shown.GetProperty("definition").GetProperty("variants").GetProperty("variant_a").GetProperty("model").GetString());
    }

    [Fact]
    public async Task Commands_WrongState_Are409ProblemsAndChangeNothing()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key), start: false);

        using var advance = await sut.Admin.PostAsync($"/api/experiments/{Key}/advance", null);
        using var duplicate = await sut.Admin.PostAsync("/api/experiments", TestHost.Json(TestExperiments.Sim(Key)));

        Assert.Equal(HttpStatusCode.Conflict, advance.StatusCode);
        Assert.Contains("draft", await advance.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Single(await sut.Experiments.AuditAsync(Key));
    }

    [Fact]
    public async Task Create_LayerRangeTakenByAnotherExperiment_Is409NamingTheFieldAndTheOtherExperiment()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(InLayer("checkout-copy", "[0, 50]"), start: false);

        using var overlapping = await sut.Admin.PostAsync("/api/experiments", TestHost.Json(InLayer("checkout-price", "[40, 100]")));
        using var disjoint = await sut.Admin.PostAsync("/api/experiments", TestHost.Json(InLayer("checkout-price", "[50, 100]")));

        Assert.Equal(HttpStatusCode.Conflict, overlapping.StatusCode);
        var problem = await overlapping.Content.ReadAsStringAsync();
        Assert.Contains("layer.range [40, 100] overlaps experiment 'checkout-copy''s range [0, 50] of layer 'checkout'", problem, StringComparison.Ordinal);
        Assert.Contains("\"field\":\"layer.range\"", problem.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, disjoint.StatusCode);
    }

    [Fact]
    public async Task Targeting_ChangedOnARunningExperiment_ServedAtOnceAuditedAndBadRulesNamed()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));
        const string Assign = """{"experiment":"control-plane","unit":"u-free","log_exposure":false,"attributes":{"plan":"free"}}""";
        var before = await DataPlaneTests.PostJsonAsync(sut.Ingest, "/api/assign", Assign);

        var targeted = await SendAsync(sut.Admin, HttpMethod.Put, $"/api/experiments/{Key}/targeting",
            """{"targeting":{"all":[{"attribute":"plan","in":["pro"]}]},"reason":"pro plans only"}""");
        var after = await DataPlaneTests.PostJsonAsync(sut.Ingest, "/api/assign", Assign);
        using var bad = await sut.Admin.PutAsync($"/api/experiments/{Key}/targeting", TestHost.Json("""{"targeting":{"all":[{"attribute":"plan","like":"pro"}]}}"""));
        using var missing = await sut.Admin.PutAsync($"/api/experiments/{Key}/targeting", TestHost.Json("{}"));
        var cleared = await SendAsync(sut.Admin, HttpMethod.Put, $"/api/experiments/{Key}/targeting", """{"targeting":null}""");

        Assert.NotEqual("not_targeted", before.GetProperty("reason").GetString());
        Assert.Equal("not_targeted", after.GetProperty("reason").GetString());
        Assert.Equal("pro", targeted.GetProperty("definition").GetProperty("targeting").GetProperty("all")[0].GetProperty("in")[0].GetString());
        Assert.False(cleared.GetProperty("definition").TryGetProperty("targeting", out _));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("targeting.all[0]: unknown operator 'like'", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var audit = await SendAsync(sut.Read, HttpMethod.Get, $"/api/experiments/{Key}/audit", null);
        var targets = audit.EnumerateArray().Where(a => a.GetProperty("action").GetString() == "target").ToList();
        Assert.Equal(["pro plans only", "targeting removed: every unit is in the experiment"], targets.Select(a => a.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Shadow_OnADraftThenAtItsShadowStage_SetAuditedAndRefusedOnceVariantsAreServed()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key), start: false);

        var draft = await SendAsync(sut.Admin, HttpMethod.Put, $"/api/experiments/{Key}/shadow",
            """{"variants":["variant_a","variant_b"],"sample_rate":0.2,"max_cost_usd_per_day":5,"min_duration":"1d"}""");
        var started = await SendAsync(sut.Admin, HttpMethod.Post, $"/api/experiments/{Key}/start", "");
        var narrowed = await SendAsync(sut.Admin, HttpMethod.Put, $"/api/experiments/{Key}/shadow", """{"variants":["variant_a"],"sample_rate":0.5,"reason":"b looks bad"}""");
        using var control = await sut.Admin.PutAsync($"/api/experiments/{Key}/shadow", TestHost.Json("""{"variants":["control"]}"""));
        await SendAsync(sut.Admin, HttpMethod.Post, $"/api/experiments/{Key}/advance", "");
        using var serving = await sut.Admin.PutAsync($"/api/experiments/{Key}/shadow", TestHost.Json("""{"variants":["variant_a"]}"""));

        var stages = draft.GetProperty("definition").GetProperty("stages");
        Assert.Equal(3, stages.GetArrayLength());   // the shadow stage put before the two planned ones
        Assert.Equal(0.2, stages[0].GetProperty("shadow").GetProperty("sample_rate").GetDouble());
        Assert.Equal(100, started.GetProperty("weights").GetProperty("control").GetDecimal());
        var shadow = narrowed.GetProperty("definition").GetProperty("stages")[0].GetProperty("shadow");
        Assert.Equal((1, 0.5), (shadow.GetProperty("variants").GetArrayLength(), shadow.GetProperty("sample_rate").GetDouble()));
        Assert.Equal(HttpStatusCode.BadRequest, control.StatusCode);
        Assert.Contains("'control' is the control", await control.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, serving.StatusCode);
        Assert.Contains("a shadow stage comes before any user is served a variant", await serving.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var audit = await SendAsync(sut.Read, HttpMethod.Get, $"/api/experiments/{Key}/audit", null);
        Assert.Equal(["shadow variant_a, variant_b on 20% of the requests, at most $5 a day each", "b looks bad"],
            audit.EnumerateArray().Where(a => a.GetProperty("action").GetString() == "shadow").Select(a => a.GetProperty("reason").GetString()));
    }

    [Theory]
    [InlineData("""{"variants":["variant_a"],"sample_rate":1e308}""", "sample_rate must be a number above 0 to 1")]
    [InlineData("""{"variants":["variant_a"],"sample_rate":-0.0}""", "sample_rate must be a number above 0 to 1")]
    [InlineData("""{"variants":["variant_a"],"sample_rate":"NaN"}""", "sample_rate")]
    [InlineData("""{"variants":["variant_a"],"max_cost_usd_per_day":1e308}""", "max_cost_usd_per_day must be a number from 0 to 1000000")]
    [InlineData(null, "an experiment has at most")]
    public async Task Shadow_AbsurdInput_Is400NamingTheField(string? body, string named)
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key), start: false);
        body ??= "{\"variants\":[" + string.Join(",", Enumerable.Repeat("\"variant_a\"", 10_000)) + "]}";

        using var response = await sut.Admin.PutAsync($"/api/experiments/{Key}/shadow", TestHost.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(named, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static string InLayer(string key, string range)
    {
        var json = TestExperiments.Sim(key).TrimEnd();
        return json[..^1] + """, "layer": {"name": "checkout", "range": """ + range + """, "holdout": 5}}""";
    }

    [Fact]
    public async Task AdvanceAndRollback_Concurrently_LeaveAConsistentStateAndOneAuditEntryEach()
    {
        await using var sut = await TestHost.StartAsync();
        for (var round = 0; round < 5; round++)
        {
            var key = $"race-{round}";
            await sut.CreateExperimentAsync(TestExperiments.Sim(key));
            var advance = sut.Admin.PostAsync($"/api/experiments/{key}/advance", null);
            var rollback = sut.Admin.PostAsync($"/api/experiments/{key}/rollback", TestHost.Json("""{"variant":"variant_a","reason":"race"}"""));
            using var a = await advance;
            using var r = await rollback;

            Assert.Equal(HttpStatusCode.OK, a.StatusCode);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            var experiment = (await sut.Experiments.FindAsync(key))!;
            Assert.Equal(1, experiment.Stage);
            Assert.True(experiment.IsRolledBack("variant_a"));
            Assert.Equal([80m, 0m, 20m], experiment.CurrentWeights.Select(w => w.Percent));
            var audit = await sut.Experiments.AuditAsync(key);
            Assert.Equal(1, audit.Count(e => e.Action == Rampart.Core.Audit.AuditAction.Advance));
            Assert.Equal(1, audit.Count(e => e.Action == Rampart.Core.Audit.AuditAction.Rollback));
            Assert.Equal(4, experiment.Version);
        }
    }

    [Fact]
    public async Task StateChange_ThroughTheServer_IsServedAtOnce()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));

        await SendAsync(sut.Admin, HttpMethod.Post, $"/api/experiments/{Key}/pause", "");
        var assigned = await DataPlaneTests.PostJsonAsync(sut.Ingest, "/api/assign", $$"""{"experiment":"{{Key}}","unit":"u","log_exposure":false}""");

        Assert.Equal(("control", "paused"), (assigned.GetProperty("variant").GetString(), assigned.GetProperty("reason").GetString()));
    }

    internal static async Task<JsonElement> SendAsync(HttpClient client, HttpMethod method, string path, string? body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : TestHost.Json(body) };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
