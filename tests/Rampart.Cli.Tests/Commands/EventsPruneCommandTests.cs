using System.Globalization;
using Rampart.Storage.Sqlite;
using Rampart.Testing;

namespace Rampart.Cli.Tests.Commands;

public sealed class EventsPruneCommandTests
{
    [Fact]
    public async Task Prune_NoCheckpoint_DeletesNothingAndSaysWhy()
    {
        using var sut = new CliHarness();
        await sut.CreateSeedAsync();
        await sut.RunOkAsync("import", sut.WriteFile("events.jsonl", Completions(20)));

        var result = await sut.RunAsync("events", "prune", "--before", "2026-12-01");

        Assert.Equal(CliApp.UserError, result.ExitCode);
        Assert.Contains("no usable results checkpoint", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(20, (await sut.RunOkAsync("export", "prompt-opt-v2")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Theory]
    [InlineData("yesterday", "is not a date")]
    [InlineData("2999-01-01", "is in the future")]
    public async Task Prune_BadDate_NamesTheOption(string before, string problem)
    {
        using var sut = new CliHarness();
        sut.CreateEmptyDatabase();

        var result = await sut.RunAsync("events", "prune", "--before", before);

        Assert.Equal(CliApp.UserError, result.ExitCode);
        Assert.Contains($"--before {(before == "yesterday" ? "'yesterday'" : before)}", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(problem, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prune_AfterTheServerWroteACheckpoint_DeletesTheCoveredEventsAndRefusesResultsFromWhatIsLeft()
    {
        using var sut = new CliHarness();
        await sut.CreateSeedAsync();
        await sut.RunOkAsync("import", sut.WriteFile("events.jsonl", Completions(300)));
        var config = sut.WriteFile("rampart.json", """{ "checkpoints": { "every_events": 100, "min_interval": "0s" } }""");
        using (var stop = new CancellationTokenSource())
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var serving = CliApp.RunAsync(["serve", "--urls", "http://127.0.0.1:0", "--db", sut.Db, "--config", config], stdout, stderr, stop.Token);
            var checkpoints = new SqliteCheckpointStore(new SqliteDatabase(sut.Db));
            await Eventually.TrueAsync(async () => (await checkpoints.ListAsync()).Count > 0, failure: () => Task.FromResult(stderr.ToString()));
            await stop.CancelAsync();
            Assert.Equal(0, await serving);
        }

        var dry = await sut.RunOkAsync("events", "prune", "--before", "2026-12-01", "--dry-run");
        var pruned = await sut.RunOkAsync("events", "prune", "--before", "2026-12-01");
        var results = await sut.RunAsync("results", "prompt-opt-v2");

        Assert.Contains("would delete 300 events from before 2026-12-01T00:00:00Z (up to position 300", dry.Stdout, StringComparison.Ordinal);
        Assert.Contains("deleted 300 events", pruned.Stdout, StringComparison.Ordinal);
        Assert.Equal(CliApp.UserError, results.ExitCode);
        Assert.Contains("events of 'prompt-opt-v2' were pruned", results.Stderr, StringComparison.Ordinal);
        Assert.Contains("deleted 0 events", (await sut.RunOkAsync("events", "prune", "--before", "2026-12-01")).Stdout, StringComparison.Ordinal);
    }

    private static string Completions(int count) => string.Join("\n", Enumerable.Range(0, count).Select(i => string.Create(CultureInfo.InvariantCulture,
        $$"""{"type":"completion","experiment":"prompt-opt-v2","variant":"{{(i % 2 == 0 ? "control" : "variant_a")}}","unit":"user-{{i % 50}}","ts":"2026-11-01T10:00:01Z","id":"c{{i}}","request_id":"r-{{i}}","latency_ms":{{300 + i}},"error":null}""")));
}
