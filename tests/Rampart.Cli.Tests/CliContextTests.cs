namespace Rampart.Cli.Tests;

public sealed class CliContextTests
{
    public static TheoryData<string[]> ReadCommands => new()
    {
        { ["results", "prompt-opt-v2"] },
        { ["export", "prompt-opt-v2"] },
        { ["events", "quarantined"] },
        { ["experiments", "list"] },
        { ["experiments", "show", "prompt-opt-v2"] },
        { ["assign", "prompt-opt-v2", "user-1"] },
    };

    [Theory]
    [MemberData(nameof(ReadCommands))]
    public async Task ReadCommand_MistypedDb_RefusesNamingThePath_AndCreatesNoFile(string[] command)
    {
        using var sut = new CliHarness();
        var typo = Path.Combine(sut.Folder, "rampaart.db");

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync([.. command, "--db", typo], stdout, stderr);

        Assert.Equal(CliApp.UserError, code);
        Assert.Contains($"--db '{typo}': no such database file", stderr.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(typo), "a command that only reads created the database");
        Assert.Equal("", stdout.ToString());
    }

    [Fact]
    public async Task ReadCommand_NoDbInTheWorkingFolder_RefusesNamingTheDefaultFile()
    {
        using var sut = new CliHarness();

        var result = await RampartProcess.RunAsync(sut.Folder, "experiments", "list");

        Assert.Equal(CliApp.UserError, result.ExitCode);
        Assert.Contains($"no database file rampart.db in the working folder ({Path.Combine(sut.Folder, "rampart.db")})", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(sut.Db));
    }

    [Fact]
    public async Task WriteCommand_MissingDb_CreatesIt()
    {
        using var sut = new CliHarness();

        await sut.CreateSeedAsync(start: false);

        Assert.True(File.Exists(sut.Db));
        var list = await sut.RunOkAsync("experiments", "list");
        Assert.Contains("prompt-opt-v2", list.Stdout, StringComparison.Ordinal);
    }
}
