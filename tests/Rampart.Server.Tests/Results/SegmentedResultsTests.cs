using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Rampart.Analysis.Segments;
using Rampart.Core.Rollouts;
using Rampart.Server.Monitor;
using Rampart.Server.Tests.Events;

namespace Rampart.Server.Tests.Results;

public sealed class SegmentedResultsTests
{
    private const string Key = "segmented";

    [Fact]
    public async Task ResultsBy_StoredAttribute_ServesTheSegmentedDocument()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(WithSegments());
        var lines = new List<string>();
        for (var i = 0; i < 400; i++)
        {
            var (unit, variant, country) = ($"u{i}", (i % 3) switch { 0 => "control", 1 => "variant_a", _ => "variant_b" }, i < 330 ? "FR" : "US");
            lines.Add($$$"""{"type":"exposure","experiment":"{{{Key}}}","variant":"{{{variant}}}","unit":"{{{unit}}}","ts":"2026-11-01T10:00:00Z","attributes":{"country":"{{{country}}}"}}""");
            lines.Add($$"""{"type":"feedback","experiment":"{{Key}}","variant":"{{variant}}","unit":"{{unit}}","ts":"2026-11-01T10:00:02Z","score":"user_satisfaction","value":{{i % 2}}}""");
        }

        await DataPlaneTests.PostJsonAsync(sut.Ingest, "/api/events", string.Join("\n", lines));

        var results = SegmentedResultsJson.Parse(await sut.Read.GetStringAsync($"/api/experiments/{Key}/results?by=country"));

        Assert.Equal("country", results.By);
        Assert.Equal(["FR", SegmentedAnalyzer.Other], results.Segments.Select(s => s.Name));
        Assert.Equal([330L, 70L], results.Segments.Select(s => s.Units));
        Assert.Equal(["US"], results.Segments[1].Values);
        Assert.Equal(["control", "variant_a", "variant_b"], results.Segments[0].Variants.Select(v => v.Name));
    }

    [Fact]
    public async Task ResultsBy_AttributeTheExperimentDoesNotStore_Is400NamingBy()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(WithSegments());

        using var response = await sut.Read.GetAsync($"/api/experiments/{Key}/results?by=plan");
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("by", out _));
        Assert.Contains("does not store attribute 'plan'; use one of country", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResultsBy_HugeValue_Is400QuotingOnlyANameLengthOfIt()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(WithSegments());
        var huge = new string('x', 6000);

        using var response = await sut.Read.GetAsync($"/api/experiments/{Key}/results?by={huge}");
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("by", out _));
        Assert.Contains($"does not store attribute '{new string('x', 64)}…'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(", \"max_segment_drop\": 0.1", "continue")]
    [InlineData("", "promote")]
    public async Task Results_PromotionASegmentHarmsBeyondMaxSegmentDrop_IsWithdrawn(string maxDrop, string action)
    {
        await using var sut = await TestHost.StartAsync();
        await CreateHarmedInTeamAsync(sut, maxDrop, "manual");

        var recommendation = JsonDocument.Parse(await sut.Read.GetStringAsync($"/api/experiments/{GateKey}/results")).RootElement.GetProperty("recommendation");

        Assert.Equal(action, recommendation.GetProperty("action").GetString());
        if (action == "continue")
        {
            Assert.Contains(recommendation.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.Contains("segment plan=team", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(", \"max_segment_drop\": 0.1", ExperimentState.Running)]
    [InlineData("", ExperimentState.Completed)]
    public async Task Monitor_AutoPromotionASegmentHarmsBeyondMaxSegmentDrop_IsHeld(string maxDrop, ExperimentState expected)
    {
        await using var sut = await TestHost.StartAsync();
        await CreateHarmedInTeamAsync(sut, maxDrop, "auto");

        await sut.Services.GetRequiredService<RolloutMonitor>().CheckAllAsync(TestContext.Current.CancellationToken);

        Assert.Equal(expected, (await sut.Experiments.FindAsync(GateKey))!.State);
    }

    // pro: the control satisfies 150 of 300 units, variant_a 270; team: 105 of 150 against 75. Better overall, 0.2 worse in team.
    private static async Task CreateHarmedInTeamAsync(TestHost sut, string maxDrop, string advance)
    {
        await sut.CreateExperimentAsync($$"""
            { "key": "{{GateKey}}", "control": "control",
              "variants": { "control": { "provider": "sim", "model": "m" }, "variant_a": { "provider": "sim", "model": "m" } },
              "stages": [ { "weights": { "control": 50, "variant_a": 50 } } ], "advance": "{{advance}}", "segments": ["plan"],
              "promotion": { "min_units": 100{{maxDrop}} } }
            """);
        var lines = new List<string>();
        var unit = 0;
        foreach (var (plan, variant, satisfied, units) in new[] { ("pro", "control", 150, 300), ("pro", "variant_a", 270, 300), ("team", "control", 105, 150), ("team", "variant_a", 75, 150) })
        {
            for (var i = 0; i < units; i++, unit++)
            {
                var common = $$$"""
                    "experiment":"{{{GateKey}}}","variant":"{{{variant}}}","unit":"u{{{unit}}}"
                    """;
                lines.Add($$$"""{"type":"exposure",{{{common}}},"ts":"2026-11-01T10:00:00Z","attributes":{"plan":"{{{plan}}}"}}""");
                lines.Add($$$"""{"type":"completion",{{{common}}},"request_id":"r{{{unit}}}","ts":"2026-11-01T10:00:01Z","latency_ms":100,"cost_usd":0.001,"error":null}""");
                lines.Add($$$"""{"type":"feedback",{{{common}}},"request_id":"r{{{unit}}}","ts":"2026-11-01T10:00:02Z","score":"user_satisfaction","value":{{{(i < satisfied ? 1 : 0)}}}}""");
            }
        }

        await DataPlaneTests.PostJsonAsync(sut.Ingest, "/api/events", string.Join("\n", lines));
    }

    private const string GateKey = "segment-gate";

    private static string WithSegments() => TestExperiments.Sim(Key).TrimEnd()[..^1] + """, "segments": ["country"]}""";
}
