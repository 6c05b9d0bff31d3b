using Rampart.Analysis.Results;

namespace Rampart.Cli.Tests.Commands;

public sealed class ResultsCommandTests
{
    [Fact]
    public async Task Results_AfterImport_EqualsAnalyzeOfTheSameFileWithTheStageWeights()
    {
        using var sut = new CliHarness();
        await sut.CreateSeedAsync();
        var file = sut.WriteFile("events.jsonl", AnalyzeCommandTests.Events(seed: 21));
        await sut.RunOkAsync("import", file);

        var stored = await sut.RunOkAsync("results", "prompt-opt-v2", "--format", "json");
        var offline = await sut.RunOkAsync("analyze", "--events", file, "--weights", "control=80,variant_a=10,variant_b=10", "--format", "json");

        Assert.Equal(offline.Stdout, stored.Stdout);
        Assert.Equal(80, ResultsJson.Parse(stored.Stdout).Srm.ExpectedWeights["control"]);
    }

    [Fact]
    public async Task Results_Table_PrintsTheDashboard()
    {
        using var sut = new CliHarness();
        await sut.CreateSeedAsync();
        await sut.RunOkAsync("import", sut.WriteFile("events.jsonl", AnalyzeCommandTests.Events(seed: 22)));

        var result = await sut.RunOkAsync("results", "prompt-opt-v2");

        Assert.Contains("prompt-opt-v2: control control, primary score user_satisfaction", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("│ variant_b ", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Recommendation:", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Results_Table_NotesFeedbackThatExpiredUnjoined()
    {
        using var sut = new CliHarness();
        await sut.CreateSeedAsync();
        await sut.RunOkAsync("import", sut.WriteFile("events.jsonl", AnalyzeCommandTests.Events(seed: 23)));
        var before = await sut.RunOkAsync("results", "prompt-opt-v2");

        // What the server's feedback expiry does when no call with the request ids was stored within feedback.pending_ttl.
        var pending = new Rampart.Storage.Sqlite.SqlitePendingFeedbackStore(new Rampart.Storage.Sqlite.SqliteDatabase(sut.Db));
        foreach (var i in Enumerable.Range(0, 3))
        {
            await pending.AddAsync(new Rampart.Core.Events.PendingFeedback($"f-{i}", $"r-missing-{i}", "user_satisfaction", 1, null, DateTimeOffset.UnixEpoch));
        }

        await pending.ExpireAsync(["f-0", "f-1", "f-2"]);
        var after = await sut.RunOkAsync("results", "prompt-opt-v2");
        var json = await sut.RunOkAsync("results", "prompt-opt-v2", "--format", "json");

        Assert.DoesNotContain("expired unjoined", before.Stdout, StringComparison.Ordinal);
        Assert.Contains("Note: 3 pieces of feedback expired unjoined on this database, all experiments together", after.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("expired", json.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Results_AfterRollback_UsesCurrentWeightsAndSkipsTheRolledBackVariant()
    {
        using var sut = new CliHarness();
        await sut.CreateSeedAsync();
        await sut.RunOkAsync("import", sut.WriteFile("events.jsonl", AnalyzeCommandTests.Events(seed: 23)));
        await sut.RunOkAsync("rollout", "rollback", "prompt-opt-v2", "variant_b", "--reason", "errors");

        var document = ResultsJson.Parse((await sut.RunOkAsync("results", "prompt-opt-v2", "--format", "json")).Stdout);

        Assert.Equal(0, document.Srm.ExpectedWeights["variant_b"]);
        Assert.Null(document.Srm.PValue);
        Assert.Contains(document.Recommendation.Reasons, r => r.StartsWith("srm.p_value is null: variant_b has units but an expected weight of 0", StringComparison.Ordinal));
        Assert.Contains(document.Recommendation.Reasons, r => r.StartsWith("variant_b is rolled back", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Results_NoEvents_ReportsEveryVariantWithReasons()
    {
        using var sut = new CliHarness();
        await sut.CreateSeedAsync();

        var document = ResultsJson.Parse((await sut.RunOkAsync("results", "prompt-opt-v2", "--format", "json")).Stdout);

        Assert.Equal(["control", "variant_a", "variant_b"], document.Variants.Select(v => v.Name));
        Assert.Equal(RecommendedAction.Continue, document.Recommendation.Action);
        Assert.Contains("control has no completions, so error_rate, latency_ms and cost_usd.mean are null.", document.Recommendation.Reasons);
    }

    [Fact]
    public async Task Results_UnknownExperiment_ExitsNonZero()
    {
        using var sut = new CliHarness();
        sut.CreateEmptyDatabase();

        var result = await sut.RunAsync("results", "nope");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Experiment 'nope' does not exist", result.Stderr, StringComparison.Ordinal);
    }
}
