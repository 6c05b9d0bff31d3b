using System.Net;
using System.Text.Json;
using Rampart.Analysis.Segments;
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

    private static string WithSegments() => TestExperiments.Sim(Key).TrimEnd()[..^1] + """, "segments": ["country"]}""";
}
