using Rampart.Core.Audit;
using Rampart.Core.Rollouts;
using Rampart.Storage.Sqlite;

namespace Rampart.Cli.Tests.Commands;

public sealed class RolloutCommandTests
{
    [Fact]
    public async Task EveryCommand_WritesOneAuditEntry()
    {
        using var sut = new CliHarness();
        await sut.CreateSeedAsync(start: false);

        await sut.RunOkAsync("rollout", "start", "prompt-opt-v2");
        await sut.RunOkAsync("rollout", "pause", "prompt-opt-v2", "--reason", "incident review");
        await sut.RunOkAsync("rollout", "start", "prompt-opt-v2");
        await sut.RunOkAsync("rollout", "advance", "prompt-opt-v2");
        await sut.RunOkAsync("rollout", "stage", "prompt-opt-v2", "--weights", "control=50,variant_a=25,variant_b=25");
        await sut.RunOkAsync("rollout", "rollback", "prompt-opt-v2", "variant_b", "--reason", "error rate 8%");
        var promoted = await sut.RunOkAsync("rollout", "promote", "prompt-opt-v2", "variant_a");

        var store = new SqliteExperimentStore(sut.Db);
        var audit = await store.AuditAsync("prompt-opt-v2");
        var experiment = await store.FindAsync("prompt-opt-v2");
        Assert.Equal(
            [AuditAction.Create, AuditAction.Start, AuditAction.Pause, AuditAction.Start, AuditAction.Advance, AuditAction.Stage, AuditAction.Rollback, AuditAction.Promote],
            audit.Select(a => a.Action));
        Assert.All(audit.Skip(1), a => Assert.Equal("cli", a.Who));
        Assert.Equal("incident review", audit[2].Reason);
        Assert.Equal(("variant_b", "error rate 8%"), (audit[6].Variant, audit[6].Reason));
        Assert.Equal((ExperimentState.Completed, "variant_a"), (experiment!.State, experiment.Winner));
        Assert.Contains("now completed, serving control=0, variant_a=100, variant_b=0", promoted.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Target_FileThenClear_StoredAuditedAndABadRuleNamesItsField()
    {
        using var sut = new CliHarness();
        await sut.CreateSeedAsync();
        var rule = Path.Combine(sut.Folder, "rule.json");
        var bad = Path.Combine(sut.Folder, "bad.json");
        await File.WriteAllTextAsync(rule, """{"all": [{"attribute": "plan", "in": ["pro"]}]}""", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(bad, """{"all": [{"attribute": "plan", "gt": "ten"}]}""", TestContext.Current.CancellationToken);

        var set = await sut.RunOkAsync("rollout", "target", "prompt-opt-v2", "--file", rule);
        var refused = await sut.RunAsync("rollout", "target", "prompt-opt-v2", "--file", bad);
        var neither = await sut.RunAsync("rollout", "target", "prompt-opt-v2");
        await sut.RunOkAsync("rollout", "target", "prompt-opt-v2", "--clear", "--reason", "everyone again");

        Assert.Contains("""target prompt-opt-v2: targeting set to {"all":[{"attribute":"plan","in":["pro"]}]}""", set.Stdout, StringComparison.Ordinal);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("targeting.all[0].gt must be a finite number", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("give either --file RULE.json or --clear", neither.Stderr, StringComparison.Ordinal);
        var store = new SqliteExperimentStore(sut.Db);
        Assert.Null((await store.FindAsync("prompt-opt-v2"))!.Definition.Targeting);
        Assert.Equal(["targeting set to {\"all\":[{\"attribute\":\"plan\",\"in\":[\"pro\"]}]}", "everyone again"],
            (await store.AuditAsync("prompt-opt-v2")).Where(a => a.Action == AuditAction.Target).Select(a => a.Reason));
    }

    [Fact]
    public async Task Shadow_OnADraft_PutsAShadowStageFirstAndTheStartServesTheControl()
    {
        using var sut = new CliHarness();
        await sut.CreateSeedAsync(start: false);

        var set = await sut.RunOkAsync("rollout", "shadow", "prompt-opt-v2", "--variants", "variant_a,variant_b", "--sample-rate", "0.25", "--min-duration", "1d");
        var started = await sut.RunOkAsync("rollout", "start", "prompt-opt-v2");
        var bad = await sut.RunAsync("rollout", "shadow", "prompt-opt-v2", "--variants", "variant_z");

        Assert.Contains("shadow prompt-opt-v2: shadow variant_a, variant_b on 25% of the requests", set.Stdout, StringComparison.Ordinal);
        Assert.Contains("now running, serving control=100, variant_a=0, variant_b=0", started.Stdout, StringComparison.Ordinal);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("'variant_z' is not one of the variants", bad.Stderr, StringComparison.Ordinal);
        var experiment = await new SqliteExperimentStore(sut.Db).FindAsync("prompt-opt-v2");
        Assert.Equal((0.25, TimeSpan.FromDays(1)), (experiment!.Definition.Stages[0].Shadow!.SampleRate, experiment.Definition.Stages[0].MinDuration!.Value));
    }

    [Fact]
    public async Task Advance_PrintsShareOfUnitsMoved()
    {
        using var sut = new CliHarness();
        await sut.CreateSeedAsync();

        var result = await sut.RunOkAsync("rollout", "advance", "prompt-opt-v2");

        Assert.Contains("stage 1 → 2: control=60, variant_a=20, variant_b=20; 20% of units change variant", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "rollout", "stage", "prompt-opt-v2", "--weights", "control=55,variant_a=20,variant_b=20" }, "weights sums to 95; weights must sum to 100")]
    [InlineData(new[] { "rollout", "stage", "prompt-opt-v2", "--weights", "control=60,variant_a=40" }, "weights.variant_b is missing")]
    [InlineData(new[] { "rollout", "rollback", "prompt-opt-v2", "variant_z", "--reason", "x" }, "'variant_z' is not a variant of 'prompt-opt-v2'")]
    [InlineData(new[] { "rollout", "rollback", "prompt-opt-v2", "control", "--reason", "x" }, "the control cannot be rolled back")]
    [InlineData(new[] { "rollout", "rollback", "prompt-opt-v2", "variant_a" }, "--reason")]
    [InlineData(new[] { "rollout", "start", "prompt-opt-v2" }, "is running; only a draft or paused experiment can be started")]
    [InlineData(new[] { "rollout", "advance", "unknown-exp" }, "Experiment 'unknown-exp' does not exist")]
    public async Task BadCommand_ExitsNonZeroWithMessageAndNoAuditEntry(string[] args, string expected)
    {
        using var sut = new CliHarness();
        await sut.CreateSeedAsync();

        var result = await sut.RunAsync(args);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, (await new SqliteExperimentStore(sut.Db).AuditAsync("prompt-opt-v2")).Count);
    }
}
