namespace Rampart.Cli.Tests.Commands;

public sealed class ImportExportCommandTests
{
    private const string Events = """
        {"type":"exposure","experiment":"prompt-opt-v2","variant":"control","unit":"user-123","ts":"2026-11-01T10:00:00Z","id":"e1"}
        {"type":"completion","experiment":"prompt-opt-v2","variant":"control","unit":"user-123","ts":"2026-11-01T10:00:01Z","id":"e2","request_id":"r-1","latency_ms":1234.5,"ttft_ms":310,"prompt_tokens":120,"completion_tokens":80,"cost_usd":0.0084,"error":null,"model":"gpt-4","input":"Where is my order?","output":"On its way."}

        {"type":"feedback","experiment":"prompt-opt-v2","variant":"control","unit":"user-123","ts":"2026-11-01T10:00:05Z","id":"e3","request_id":"r-1","score":"user_satisfaction","value":1,"comment":"Very helpful!","channel":"web"}
        """;

    [Fact]
    public async Task ImportThenExport_RoundTripsEveryEvent()
    {
        using var sut = new CliHarness();
        await sut.CreateSeedAsync();

        var imported = await sut.RunOkAsync("import", sut.WriteFile("events.jsonl", Events));
        var exported = await sut.RunOkAsync("export", "prompt-opt-v2");

        Assert.Contains("imported 3 event(s) from events.jsonl; 0 duplicate(s) skipped", imported.Stdout, StringComparison.Ordinal);
        var lines = exported.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Contains("\"latency_ms\":1234.5", lines[1], StringComparison.Ordinal);
        Assert.Contains("\"channel\":\"web\"", lines[2], StringComparison.Ordinal);
        var reimported = await sut.RunOkAsync("import", sut.WriteFile("again.jsonl", exported.Stdout));
        Assert.Contains("imported 0 event(s) from again.jsonl; 3 duplicate(s) skipped", reimported.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"latency_ms\":1234.5", "\"latency_ms\":\"slow\"", "line 2: 'latency_ms' must be a number of milliseconds in [0, 86400000] or null")]
    [InlineData("\"value\":1", "\"value\":NaN", "line 4: is not valid JSON")]
    [InlineData("\"variant\":\"control\",\"unit\":\"user-123\",\"ts\":\"2026-11-01T10:00:05Z\"", "\"variant\":\"variant_q\",\"unit\":\"user-123\",\"ts\":\"2026-11-01T10:00:05Z\"", "line 4: variant 'variant_q' is not a variant of 'prompt-opt-v2'")]
    [InlineData("{\"type\":\"exposure\",\"experiment\":\"prompt-opt-v2\"", "{\"type\":\"exposure\",\"experiment\":\"other-exp\"", "line 1: experiment 'other-exp' does not exist")]
    [InlineData("\"unit\":\"user-123\",\"ts\":\"2026-11-01T10:00:00Z\"", "\"unit\":\"\",\"ts\":\"2026-11-01T10:00:00Z\"", "line 1: 'unit' must be a non-empty string")]
    public async Task Import_BadLine_ReportsLineAndFieldAndImportsNothing(string from, string to, string expected)
    {
        using var sut = new CliHarness();
        await sut.CreateSeedAsync();
        var events = Events.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(Events, events);

        var result = await sut.RunAsync("import", sut.WriteFile("events.jsonl", events));
        var exported = await sut.RunOkAsync("export", "prompt-opt-v2");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing was imported", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", exported.Stdout);
    }

    [Fact]
    public async Task Export_UnknownExperiment_ExitsNonZero()
    {
        using var sut = new CliHarness();
        sut.CreateEmptyDatabase();

        var result = await sut.RunAsync("export", "nope");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Experiment 'nope' does not exist", result.Stderr, StringComparison.Ordinal);
    }
}
