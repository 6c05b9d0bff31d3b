using Rampart.Testing;

namespace Rampart.Cli.Tests.Commands;

public sealed class ServeCommandTests
{
    [Fact]
    public async Task Serve_BadConfiguration_ExitsWithAMessageNamingTheKey()
    {
        using var sut = new CliHarness();
        var config = sut.WriteFile("rampart.json", """{ "events": { "queue_capacity": -1 } }""");

        var result = await sut.RunAsync("serve", "--config", config, "--urls", "http://127.0.0.1:0");

        Assert.Equal(CliApp.UserError, result.ExitCode);
        Assert.Contains("events.queue_capacity", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_MissingConfigFile_ExitsNamingIt()
    {
        using var sut = new CliHarness();

        var result = await sut.RunAsync("serve", "--config", "/nonexistent/rampart.json", "--urls", "http://127.0.0.1:0");

        Assert.Equal(CliApp.UserError, result.ExitCode);
        Assert.Contains("/nonexistent/rampart.json", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_UntilCancelled_PrintsTheFirstAdminKeyAndStopsCleanly()
    {
        using var sut = new CliHarness();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var stop = new CancellationTokenSource();

        var serving = CliApp.RunAsync(["serve", "--urls", "http://127.0.0.1:0", "--db", sut.Db], stdout, stderr, stop.Token);
        await Eventually.TrueAsync(() => stderr.ToString().Contains("serving on", StringComparison.Ordinal), failure: () => stderr.ToString());

        await stop.CancelAsync();
        var code = await serving;

        Assert.Contains("rpk_", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("serving on http://127.0.0.1:", stderr.ToString(), StringComparison.Ordinal);
        Assert.True(File.Exists(sut.Db));
        Assert.True(code == 0, stderr.ToString());
        // Hosted by another program (this test), serve leaves the process's socket completions alone: turned on here
        // they would run this process's other work on the socket threads (docs/decisions/0022-inline-io.md).
        Assert.Null(Environment.GetEnvironmentVariable(Rampart.Server.Threading.InlineIo.Variable));
        Assert.DoesNotContain("socket threads", stderr.ToString(), StringComparison.Ordinal);
    }
}
