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

        // The recommendation differs by design: the stored experiment runs, so its promotion rests on the always-valid p-value.
        Assert.Equal(WithoutRecommendation(offline.Stdout), WithoutRecommendation(stored.Stdout));
        Assert.Equal(80, ResultsJson.Parse(stored.Stdout).Srm.ExpectedWeights["control"]);
    }

    [Fact]
    public async Task Results_RightAfterARamp_TestsTheSplitPerStageAndFindsNoMismatch()
    {
        using var sut = new CliHarness();
        await sut.CreateSeedAsync();
        await sut.RunOkAsync("rollout", "advance", "prompt-opt-v2");
        await sut.RunOkAsync("import", sut.WriteFile("events.jsonl", Staged((0, [812, 95, 93]), (1, [590, 205, 205]))));

        var document = ResultsJson.Parse((await sut.RunOkAsync("results", "prompt-opt-v2", "--format", "json")).Stdout);
        var table = (await sut.RunOkAsync("results", "prompt-opt-v2")).Stdout;

        Assert.False(document.Srm.Mismatch);
        Assert.Equal([1, 2], document.Srm.Stages!.Select(s => s.Stage));
        // scipy.stats.chisquare([590, 205, 205], [600, 200, 200]).pvalue
        Assert.Equal(0.8119363461506349, document.Srm.Stages![1].PValue!.Value, 1e-9);
        Assert.Contains("Sample ratio, per stage", table, StringComparison.Ordinal);
        Assert.Contains("stage 1: control 812 vs 80%, variant_a 95 vs 10%, variant_b 93 vs 10%: p = 0.631", table, StringComparison.Ordinal);
        Assert.Contains("stage 2: control 590 vs 60%, variant_a 205 vs 20%, variant_b 205 vs 20%: p = 0.812", table, StringComparison.Ordinal);
        Assert.DoesNotContain("MISMATCH", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Results_MismatchWithinAStage_IsFlagged()
    {
        using var sut = new CliHarness();
        await sut.CreateSeedAsync();
        await sut.RunOkAsync("rollout", "advance", "prompt-opt-v2");
        await sut.RunOkAsync("import", sut.WriteFile("events.jsonl", Staged((0, [812, 95, 93]), (1, [640, 150, 210]))));

        var table = (await sut.RunOkAsync("results", "prompt-opt-v2")).Stdout;

        // scipy.stats.chisquare([640, 150, 210], [600, 200, 200]).pvalue = 0.0003963022685999063
        Assert.Contains("MISMATCH (p = 0.000396 < 0.001 in a stage)", table, StringComparison.Ordinal);
        Assert.Contains("stage 2: control 640 vs 60%, variant_a 150 vs 20%, variant_b 210 vs 20%: mismatch (p = 0.000396)", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Results_Table_ShowsTheDecidingReasonsAndTheDetailsOnlyWhenVerbose()
    {
        using var sut = new CliHarness();
        await sut.CreateSeedAsync();
        await sut.RunOkAsync("import", sut.WriteFile("events.jsonl", AnalyzeCommandTests.Events(seed: 24)));
        var document = ResultsJson.Parse((await sut.RunOkAsync("results", "prompt-opt-v2", "--format", "json")).Stdout);

        var brief = (await sut.RunOkAsync("results", "prompt-opt-v2")).Stdout;
        var verbose = (await sut.RunOkAsync("results", "prompt-opt-v2", "--verbose")).Stdout;

        var variantA = document.Variants[1];
        Assert.Contains($"{variantA.Scores["user_satisfaction"].Mean:0.000} (n {variantA.Scores["user_satisfaction"].N:N0})", brief, StringComparison.Ordinal);
        Assert.Contains("Recommendation: CONTINUE", brief, StringComparison.Ordinal);
        Assert.Contains("Not enough data yet: ", brief, StringComparison.Ordinal);
        Assert.Contains($"{document.Recommendation.Details!.Count} more details: run with --verbose.", brief, StringComparison.Ordinal);
        Assert.DoesNotContain("Details:", brief, StringComparison.Ordinal);
        Assert.Contains("Details:", verbose, StringComparison.Ordinal);
        Assert.True(Bullets(brief) <= 4, brief);
        Assert.Equal(Bullets(brief) + document.Recommendation.Details.Count, Bullets(verbose));
    }

    [Fact]
    public async Task Results_CompletedExperiment_ShowsItsOutcomeNotPromote()
    {
        using var sut = new CliHarness();
        await sut.CreateSeedAsync();
        await sut.RunOkAsync("import", sut.WriteFile("events.jsonl", AnalyzeCommandTests.Events(seed: 25)));
        await sut.RunOkAsync("rollout", "promote", "prompt-opt-v2", "variant_a");

        var table = (await sut.RunOkAsync("results", "prompt-opt-v2")).Stdout;
        var document = ResultsJson.Parse((await sut.RunOkAsync("results", "prompt-opt-v2", "--format", "json")).Stdout);

        Assert.Matches(@"Completed: variant_a promoted on \d{4}-\d{2}-\d{2}\.", document.Recommendation.Outcome!);
        Assert.Contains("Outcome: " + document.Recommendation.Outcome, table, StringComparison.Ordinal);
        Assert.DoesNotContain("PROMOTE", table, StringComparison.Ordinal);
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
        Assert.Contains([.. document.Recommendation.Reasons, .. document.Recommendation.Details!], r => r.StartsWith("srm.p_value is null: variant_b has units but an expected weight of 0", StringComparison.Ordinal));
        Assert.Contains([.. document.Recommendation.Reasons, .. document.Recommendation.Details!], r => r.StartsWith("variant_b is rolled back", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Results_NoEvents_ReportsEveryVariantWithReasons()
    {
        using var sut = new CliHarness();
        await sut.CreateSeedAsync();

        var document = ResultsJson.Parse((await sut.RunOkAsync("results", "prompt-opt-v2", "--format", "json")).Stdout);

        Assert.Equal(["control", "variant_a", "variant_b"], document.Variants.Select(v => v.Name));
        Assert.Equal(RecommendedAction.Continue, document.Recommendation.Action);
        Assert.Contains("control has no completions, so error_rate, latency_ms and cost_usd.mean are null.", document.Recommendation.Details!);
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

    private static int Bullets(string text) => text.Split('\n').Count(l => l.TrimStart().StartsWith('•') || l.TrimStart().StartsWith('·'));

    private static string WithoutRecommendation(string json)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        node.Remove("recommendation");
        return node.ToJsonString();
    }

    // Distinct units per variant (control, variant_a, variant_b) per stage, each exposed once with the stage that served it.
    private static string Staged(params (int Stage, int[] Units)[] stages)
    {
        var text = new System.Text.StringBuilder();
        string[] names = ["control", "variant_a", "variant_b"];
        foreach (var (stage, units) in stages)
        {
            for (var v = 0; v < names.Length; v++)
            {
                for (var u = 0; u < units[v]; u++)
                {
                    text.Append(System.Globalization.CultureInfo.InvariantCulture,
                        $$"""{"type":"exposure","experiment":"prompt-opt-v2","variant":"{{names[v]}}","unit":"{{names[v]}}-{{stage}}-{{u}}","stage":{{stage}},"ts":"2026-11-0{{1 + stage}}T00:00:00Z"}""").Append('\n');
                }
            }
        }

        return text.ToString();
    }
}
