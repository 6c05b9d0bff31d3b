using Rampart.Testing;

namespace Rampart.Cli.Tests;

/// <summary><c>--postgres CONNSTRING</c> on every command: the same commands on a PostgreSQL database, and never with <c>--db</c>.</summary>
public sealed class PostgresOptionTests
{
    [Fact]
    public async Task Commands_WithPostgres_StoreAndReadThroughTheDatabase()
    {
        using var postgres = new TestPostgres();
        using var folder = new TempDirectory();
        var seed = folder.File("seed.json");
        await File.WriteAllTextAsync(seed, SeedExperiment.Json);
        var events = folder.File("events.jsonl");
        await File.WriteAllTextAsync(events, """
            {"type":"exposure","experiment":"prompt-opt-v2","variant":"control","unit":"user-1","ts":"2026-11-01T10:00:00Z","id":"e1"}
            {"type":"completion","experiment":"prompt-opt-v2","variant":"control","unit":"user-1","ts":"2026-11-01T10:00:01Z","id":"e2","request_id":"r-1","latency_ms":812.5}
            """);

        await RunOkAsync(postgres, "experiments", "create", "-f", seed);
        await RunOkAsync(postgres, "rollout", "start", "prompt-opt-v2");
        await RunOkAsync(postgres, "rollout", "rollback", "prompt-opt-v2", "variant_a", "--reason", "errors");
        var imported = await RunOkAsync(postgres, "import", events);
        var reimported = await RunOkAsync(postgres, "import", events);
        var shown = await RunOkAsync(postgres, "experiments", "show", "prompt-opt-v2");
        var exported = await RunOkAsync(postgres, "export", "prompt-opt-v2");
        var key = await RunOkAsync(postgres, "keys", "create", "--scope", "read", "--name", "dashboard");

        Assert.Contains("imported 2 event(s)", imported.Stdout, StringComparison.Ordinal);
        Assert.Contains("imported 0 event(s) from events.jsonl; 2 duplicate(s) skipped", reimported.Stdout, StringComparison.Ordinal);
        Assert.Contains("variant_a", shown.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, exported.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.StartsWith("rpk_", key.Stdout, StringComparison.Ordinal);
        Assert.Equal(1L, postgres.Scalar("SELECT COUNT(*) FROM experiments"));
        Assert.Equal("rollback", postgres.Scalar("SELECT action FROM audit ORDER BY seq DESC LIMIT 1"));
        Assert.Equal("dashboard", postgres.Scalar("SELECT name FROM keys"));
    }

    [Fact]
    public async Task Command_DbAndPostgres_FailsNamingBoth()
    {
        using var folder = new TempDirectory();

        var (code, _, stderr) = await RunAsync("experiments", "list", "--db", folder.File("x.db"), "--postgres", "Host=127.0.0.1");

        Assert.Equal(CliApp.UserError, code);
        Assert.Contains("--db and --postgres are both given; give one", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Command_UnreachablePostgres_FailsWithAMessage()
    {
        var (code, _, stderr) = await RunAsync("experiments", "list", "--postgres", "Host=127.0.0.1;Port=1;Username=x;Timeout=2");

        Assert.Equal(CliApp.UserError, code);
        Assert.StartsWith("error: PostgreSQL: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Command_BadConnectionString_FailsNamingTheOption()
    {
        var (code, _, stderr) = await RunAsync("experiments", "list", "--postgres", "Hots=127.0.0.1");

        Assert.Equal(CliApp.UserError, code);
        Assert.StartsWith("error: --postgres: The PostgreSQL connection string is invalid", stderr, StringComparison.Ordinal);
    }

    private static async Task<CliResult> RunOkAsync(TestPostgres postgres, params string[] args)
    {
        var result = await RunAsync([.. args, "--postgres", postgres.ConnectionString]);
        Assert.True(result.ExitCode == 0, $"rampart {string.Join(' ', args)} exited {result.ExitCode}: {result.Stderr}");
        return result;
    }

    private static async Task<CliResult> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }
}
