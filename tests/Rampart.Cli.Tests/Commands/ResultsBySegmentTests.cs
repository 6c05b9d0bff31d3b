using System.Text;
using Rampart.Analysis.Segments;
using Rampart.Testing;

namespace Rampart.Cli.Tests.Commands;

public sealed class ResultsBySegmentTests
{
    [Fact]
    public async Task ResultsBy_Table_PrintsOneTablePerSegmentWithItsFlags()
    {
        using var sut = new CliHarness();
        await CreateWithSegmentsAsync(sut);
        await sut.RunOkAsync("import", sut.WriteFile("events.jsonl", Events()));

        var table = (await sut.RunOkAsync("results", "prompt-opt-v2", "--by", "country")).Stdout;
        var json = SegmentedResultsJson.Parse((await sut.RunOkAsync("results", "prompt-opt-v2", "--by", "country", "--format", "json")).Stdout);

        Assert.Contains("prompt-opt-v2 by country: 2 segments", table, StringComparison.Ordinal);
        Assert.Contains("country = FR: 330 units", table, StringComparison.Ordinal);
        Assert.Contains("country = other (US): 60 units", table, StringComparison.Ordinal);
        Assert.Contains("variant_a: diff -0.600, p < 0.0001, Holm across segments < 0.0001 ✓ worse", table, StringComparison.Ordinal);
        Assert.Contains("value of country with fewer than 300 units each is pooled into 'other'", table, StringComparison.Ordinal);
        Assert.Contains("Recommendation:", table, StringComparison.Ordinal);
        Assert.Equal(["FR", "other"], json.Segments.Select(s => s.Name));
        Assert.Equal([SegmentFlags.Worse], json.Segments[0].Variants[1].Flags);
    }

    [Fact]
    public async Task ResultsBy_AttributeNotStored_FailsNamingBy()
    {
        using var sut = new CliHarness();
        await CreateWithSegmentsAsync(sut);

        var result = await sut.RunAsync("results", "prompt-opt-v2", "--by", "plan");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--by: experiment 'prompt-opt-v2' does not store attribute 'plan'; use one of country", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnalyzeBy_File_SplitsTheFilesUnitsAsResultsDo()
    {
        using var sut = new CliHarness();
        var file = sut.WriteFile("events.jsonl", Events());

        var results = SegmentedResultsJson.Parse((await sut.RunOkAsync("analyze", "--events", file, "--by", "country", "--format", "json")).Stdout);

        Assert.Equal("country", results.By);
        Assert.Equal([330L, 60L], results.Segments.Select(s => s.Units));
        Assert.Equal(["US"], results.Segments[1].Values);
        Assert.Equal([SegmentFlags.Worse], results.Segments[0].Variants[1].Flags);
    }

    private static async Task CreateWithSegmentsAsync(CliHarness sut)
    {
        await sut.RunOkAsync("experiments", "create", "-f", sut.WriteFile("seed.json", SeedExperiment.Json.TrimEnd()[..^1] + """, "segments": ["country"]}"""));
        await sut.RunOkAsync("rollout", "start", "prompt-opt-v2");
    }

    // FR: 330 units, the control always satisfied, variant_a 40% of the time, variant_b 70%; US: 60 units, all satisfied.
    private static string Events()
    {
        var text = new StringBuilder();
        string[] variants = ["control", "variant_a", "variant_b"];
        for (var i = 0; i < 390; i++)
        {
            var (unit, variant, country) = ($"u{i}", variants[i % 3], i < 330 ? "FR" : "US");
            var value = country == "US" || variant == "control" ? 1 : variant == "variant_a" ? (i / 3 % 5 < 2 ? 1 : 0) : (i / 3 % 10 < 7 ? 1 : 0);
            text.Append($$$"""{"type":"exposure","experiment":"prompt-opt-v2","variant":"{{{variant}}}","unit":"{{{unit}}}","ts":"2026-11-01T10:00:00Z","attributes":{"country":"{{{country}}}"}}""").Append('\n');
            text.Append($$$"""{"type":"completion","experiment":"prompt-opt-v2","variant":"{{{variant}}}","unit":"{{{unit}}}","request_id":"r{{{i}}}","ts":"2026-11-01T10:00:01Z","latency_ms":800,"cost_usd":0.001,"error":null}""").Append('\n');
            text.Append($$$"""{"type":"feedback","experiment":"prompt-opt-v2","variant":"{{{variant}}}","unit":"{{{unit}}}","request_id":"r{{{i}}}","ts":"2026-11-01T10:00:02Z","score":"user_satisfaction","value":{{{value}}}}""").Append('\n');
        }

        return text.ToString();
    }
}
