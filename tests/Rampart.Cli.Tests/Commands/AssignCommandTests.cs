namespace Rampart.Cli.Tests.Commands;

public sealed class AssignCommandTests
{
    [Fact]
    public async Task Assign_Units_OneTabSeparatedLineEachInInputOrder()
    {
        using var sut = new CliHarness();
        await sut.CreateSeedAsync();

        var result = await sut.RunOkAsync("assign", "prompt-opt-v2", "user-1", "user-0", "user-1");

        // Buckets from docs/assignment-test-vectors.json: user-0 → 9323 (variant_b at 80/10/10), user-1 → 1351 (control).
        Assert.Equal("user-1\tcontrol\nuser-0\tvariant_b\nuser-1\tcontrol\n", result.Stdout);
    }

    [Fact]
    public async Task Assign_UnitsFile_SameAsArguments()
    {
        using var sut = new CliHarness();
        await sut.CreateSeedAsync();
        var units = Enumerable.Range(0, 500).Select(i => $"user-{i}").ToArray();

        var fromFile = await sut.RunOkAsync("assign", "prompt-opt-v2", "--units-file", sut.WriteFile("units.txt", string.Join("\n", units) + "\n"));
        var fromArgs = await sut.RunOkAsync(["assign", "prompt-opt-v2", .. units]);

        Assert.Equal(fromArgs.Stdout, fromFile.Stdout);
        Assert.Equal(500, fromFile.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Assign_Draft_EveryoneGetsControl()
    {
        using var sut = new CliHarness();
        await sut.CreateSeedAsync(start: false);

        var result = await sut.RunOkAsync("assign", "prompt-opt-v2", "user-0");

        Assert.Equal("user-0\tcontrol\n", result.Stdout);
    }

    [Fact]
    public async Task Assign_EmptyUnit_ExitsNonZeroNamingPosition()
    {
        using var sut = new CliHarness();
        await sut.CreateSeedAsync();

        var result = await sut.RunAsync("assign", "prompt-opt-v2", "user-1", "");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("unit 2 is empty", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task Assign_BlankLineInUnitsFile_ExitsNonZeroNamingLine()
    {
        using var sut = new CliHarness();
        await sut.CreateSeedAsync();

        var result = await sut.RunAsync("assign", "prompt-opt-v2", "--units-file", sut.WriteFile("units.txt", "a\n\nb\n"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("line 2 of units.txt is empty", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assign_UnknownExperiment_ExitsNonZero()
    {
        using var sut = new CliHarness();

        sut.CreateEmptyDatabase();

        var result = await sut.RunAsync("assign", "nope", "user-1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Experiment 'nope' does not exist", result.Stderr, StringComparison.Ordinal);
    }
}
