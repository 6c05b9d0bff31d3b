using System.Text.RegularExpressions;
using Rampart.Core.Audit;
using Rampart.Core.Rollouts;
using Rampart.Storage.Sqlite;
using Rampart.Testing;

namespace Rampart.Cli.Tests.Demo;

public sealed class DemoCommandTests
{
    [Fact]
    public async Task Demo_TheSeedsStory_ShadowDayCatchesTheFaultAndTheWorseAnswersBeforeAnyoneIsServedThenTheWinnerRampsAndIsPromoted()
    {
        using var sut = new CliHarness();

        var result = await sut.RunOkAsync("demo");

        var flat = Regex.Replace(result.Stdout, @"\s+", " ");   // long lines wrap at the console's width
        Assert.Contains("day 0.0 start stage 1, shadow: control serves everyone; variant_a, variant_b, variant_c also called on 10% of the requests, answers seen by nobody", flat, StringComparison.Ordinal);

        // In shadow: variant_c's answers are worse (the judge's guardrail, hours in, while its thumbs-up rate is only 2
        // points below the control's) and variant_b's provider starts failing; both rolled back with an alert, unserved.
        Assert.Matches(@"day 0\.\d rollback variant_c by the monitor: shadow: guardrail: variant_c's judge_helpfulness [0-9.]+ is established below the control's .* Caught in the shadow stage, before variant_c served anyone\.", flat);
        Assert.Matches(@"day 0\.\d rollback variant_b by the monitor: shadow: guardrail: variant_b's error rate .* Caught in the shadow stage, before variant_b served anyone\.", flat);
        Assert.Contains("ALERT (rollback) Rampart: rolled back 'variant_c'", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("ALERT (rollback) Rampart: rolled back 'variant_b'", result.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"day 1\.0 [^;]*; [^;]*; [^;]*; [^;]*; in shadow \(answers nobody saw\) variant_a [\d,]+ calls, errors [\d.]+%, judge 0\.\d\d", flat);
        Assert.Contains("every shadow variant passed the paired gate: variant_a (", flat, StringComparison.Ordinal);
        Assert.Contains("variant_b served 0 requests, variant_c served 0 requests", flat, StringComparison.Ordinal);

        // Then variant_a ramps and is promoted; the day lines carry the judge's column, the results its calibration and the paired table.
        Assert.Contains("advance to stage 2: control 90% · variant_a 10% · variant_b 0% · variant_c 0%", flat, StringComparison.Ordinal);
        Assert.Contains("promote variant_a by the monitor", result.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"day 2\.0 [^;]*; satisfaction [^;]*; judge helpfulness control 0\.\d\d · variant_a 0\.\d\d;", flat);
        Assert.Matches(@"calibration vs user_satisfaction: r 0\.\d\d, κ 0\.\d\d, n [\d,]+", flat);
        Assert.Contains("shadow (paired)", result.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"Outcome: Completed: variant_a promoted on \d{4}-\d{2}-\d{2}\.", result.Stdout); // the outcome of a completed experiment, not PROMOTE
        Assert.Contains("audit trail", result.Stdout, StringComparison.Ordinal);
        var store = new SqliteExperimentStore(sut.Db);
        var experiment = await store.FindAsync("prompt-opt-v2");
        Assert.Equal((ExperimentState.Completed, "variant_a"), (experiment!.State, experiment.Winner));
        Assert.True(experiment.IsRolledBack("variant_b"));

        // Every step after the start is the monitor's, each with the figures behind it.
        var audit = await store.AuditAsync("prompt-opt-v2");
        Assert.Equal(
            [AuditAction.Create, AuditAction.Start, AuditAction.Rollback, AuditAction.Rollback, AuditAction.Advance, AuditAction.Advance, AuditAction.Advance, AuditAction.Promote],
            audit.Select(a => a.Action));
        Assert.All(audit.Skip(2), a => Assert.Equal("monitor", a.Who));
        Assert.All(audit.Skip(2), a => Assert.NotEmpty(a.Metrics));
        var rollbacks = audit.Where(a => a.Action == AuditAction.Rollback).ToList();
        Assert.Equal(["variant_c", "variant_b"], rollbacks.Select(a => a.Variant));
        Assert.True(rollbacks[0].Metrics["upper_bound"] < -0.05);
        Assert.True(rollbacks[1].Metrics["error_rate"] > 0.05);

        // The rolled-back variant's state is there for `experiments show` afterwards.
        var show = await sut.RunOkAsync("experiments", "show", "prompt-opt-v2");
        Assert.Contains("rolled back: shadow: guardrail", show.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_SameSeedOnAnotherDatabase_TellsTheSameStory_AndASecondRunOnOneDatabaseUsesAFreeKey()
    {
        using var one = new CliHarness();
        using var other = new CliHarness();
        var first = await one.RunOkAsync("demo", "--seed", "7");

        var again = await other.RunOkAsync("demo", "--seed", "7");
        await one.RunOkAsync("demo", "--seed", "7");

        Assert.Equal(Lines(first.Stdout, "day "), Lines(again.Stdout, "day "));
        Assert.NotEmpty(Lines(first.Stdout, "day "));
        Assert.NotNull(await new SqliteExperimentStore(one.Db).FindAsync("prompt-opt-v2-2"));
    }

    [Fact]
    public async Task Demo_WithoutDb_KeepsItsStoryInItsOwnFile_SoTheQuickStartsRampartDbStaysClean()
    {
        using var sut = new CliHarness();

        var result = await RampartProcess.RunAsync(sut.Folder, "demo");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var demoDb = Path.Combine(sut.Folder, "rampart-demo.db");
        Assert.Contains($"the demo's database: {demoDb}", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("`rampart serve --db rampart-demo.db` serves it", result.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(demoDb));
        Assert.False(File.Exists(sut.Db), "the demo wrote ./rampart.db");
        var story = await new SqliteExperimentStore(demoDb).FindAsync("prompt-opt-v2");
        Assert.Equal(ExperimentState.Completed, story!.State);

        // The quick start after it starts from nothing: its create is not a conflict with the demo's experiment.
        var create = await RampartProcess.RunAsync(sut.Folder, "experiments", "create", "-f", RepositoryPaths.File("docs/examples/prompt-opt-v2-sim.json"));
        Assert.True(create.ExitCode == 0, create.Stderr);
    }

    [Fact]
    public async Task Demo_Serve_ServesTheDemosOwnDatabase()
    {
        using var sut = new CliHarness();
        var address = new Uri($"http://127.0.0.1:{RampartProcess.FreePort()}");
        const string AdminKey = "rpk_demo-serve-test-admin-key-0123456789";

        using var demo = RampartProcess.Start(sut.Folder, new Dictionary<string, string> { ["RAMPART_ADMIN_KEY"] = AdminKey },
            "demo", "--serve", "--urls", address.ToString().TrimEnd('/'));
        await demo.WaitHealthyAsync(address, seconds: 120);

        using var client = new HttpClient { BaseAddress = address };
        client.DefaultRequestHeaders.Authorization = new("Bearer", AdminKey);
        var experiment = await client.GetStringAsync("/api/experiments/prompt-opt-v2");
        Assert.Contains("\"completed\"", experiment, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(sut.Folder, "rampart-demo.db")));
        Assert.False(File.Exists(sut.Db), "demo --serve served ./rampart.db");
    }

    private static string[] Lines(string text, string prefix) =>
        [.. text.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal))];
}
