using System.Globalization;
using System.Net;
using System.Text.Json;
using Rampart.Server.Tests.Events;

namespace Rampart.Server.Tests.Results;

public sealed class TimelineScoreTests
{
    private const string Key = "timeline-score";

    [Fact]
    public async Task Timeline_WithAJudgesScore_TracesThatScoreNotThePrimary()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));
        var lines = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            var variant = i % 2 == 0 ? "control" : "variant_a";
            lines.Add(DataPlaneTests.Completion($"u{i}", $"r{i}", variant, experiment: Key));
            // The judge rates variant_a 0.25 lower than the control; people rate both the same.
            var judged = (variant == "control" ? 0.75 : 0.5).ToString(CultureInfo.InvariantCulture);
            lines.Add($$"""{"type":"feedback","experiment":"{{Key}}","variant":"{{variant}}","unit":"u{{i}}","request_id":"r{{i}}","ts":"2026-11-01T10:00:02Z","score":"judge_q","value":{{judged}},"source":"judge","model":"sim-judge","cost_usd":0.0001}""");
            lines.Add($$"""{"type":"feedback","experiment":"{{Key}}","variant":"{{variant}}","unit":"u{{i}}","request_id":"r{{i}}","ts":"2026-11-01T10:00:03Z","score":"user_satisfaction","value":1}""");
        }

        await DataPlaneTests.PostJsonAsync(sut.Ingest, "/api/events", string.Join("\n", lines));

        var judge = JsonDocument.Parse(await sut.Read.GetStringAsync($"/api/experiments/{Key}/timeline?score=judge_q")).RootElement;
        var primary = JsonDocument.Parse(await sut.Read.GetStringAsync($"/api/experiments/{Key}/timeline")).RootElement;

        Assert.Equal("judge_q", judge.GetProperty("score").GetString());
        var last = judge.GetProperty("points").EnumerateArray().Last().GetProperty("differences").GetProperty("variant_a");
        Assert.Equal(-0.25, last.GetProperty("diff").GetDouble(), 9);
        Assert.Equal((20, 20), (last.GetProperty("control_n").GetInt64(), last.GetProperty("variant_n").GetInt64()));
        Assert.Equal("user_satisfaction", primary.GetProperty("score").GetString());
        Assert.Equal(0, primary.GetProperty("points").EnumerateArray().Last().GetProperty("differences").GetProperty("variant_a").GetProperty("diff").GetDouble());
    }

    [Theory]
    [InlineData("")]
    [InlineData("a%0Ab")]
    public async Task Timeline_WithABadScoreName_Is400NamingScore(string score)
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));

        using var response = await sut.Read.GetAsync($"/api/experiments/{Key}/timeline?score={score}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("score", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
