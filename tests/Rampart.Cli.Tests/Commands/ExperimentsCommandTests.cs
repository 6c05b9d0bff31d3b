using Rampart.Testing;

namespace Rampart.Cli.Tests.Commands;

public sealed class ExperimentsCommandTests
{
    [Fact]
    public async Task Create_SeedFile_ListedAsDraftAndShownWithAudit()
    {
        using var sut = new CliHarness();

        var created = await sut.RunOkAsync("experiments", "create", "-f", sut.WriteFile("seed.json", SeedExperiment.Json));
        var list = await sut.RunOkAsync("experiments", "list");
        var show = await sut.RunOkAsync("experiments", "show", "prompt-opt-v2");

        Assert.Contains("created 'prompt-opt-v2' (draft, 3 stage(s))", created.Stdout, StringComparison.Ordinal);
        Assert.Contains("prompt-opt-v2", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("draft", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("control=80, variant_a=10, variant_b=10", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("audit trail", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("create", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("gpt-4-turbo-preview", show.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"control\": 60, \"variant_a\": 20", "\"control\": 55, \"variant_a\": 20", "stages[1].weights sums to 95; weights must sum to 100")]
    [InlineData("\"control\": \"control\"", "\"control\": \"baseline\"", "control 'baseline' is not one of the variants (control, variant_a, variant_b)")]
    [InlineData("\"variant_b\": { \"provider\"", "\"variant_a\": { \"provider\"", "variants.variant_a is defined twice")]
    [InlineData("\"variant_a\": 10, \"variant_b\": 10 }", "\"variant_a\": 10, \"variant_c\": 10 }", "stages[0].weights.variant_c: 'variant_c' is not a variant")]
    [InlineData("\"logging\": { \"content\": \"full\" } }", "\"logging\": { \"content\": \"full\" } ", "not valid JSON at line")]
    public async Task Create_BadFile_ExitsNonZeroNamingFieldAndStoresNothing(string from, string to, string expected)
    {
        using var sut = new CliHarness();
        var json = SeedExperiment.Json.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(SeedExperiment.Json, json);

        sut.CreateEmptyDatabase();

        var result = await sut.RunAsync("experiments", "create", "-f", sut.WriteFile("bad.json", json));
        var list = await sut.RunOkAsync("experiments", "list");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.Contains("no experiments", list.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_SameKeyTwice_SecondFailsWithMessage()
    {
        using var sut = new CliHarness();
        await sut.CreateSeedAsync(start: false);

        var result = await sut.RunAsync("experiments", "create", "-f", sut.WriteFile("again.json", SeedExperiment.Json));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'prompt-opt-v2' already exists", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_MissingFile_ExitsNonZero()
    {
        using var sut = new CliHarness();

        var result = await sut.RunAsync("experiments", "create", "-f", "/nonexistent/exp.json");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("exp.json", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_UnknownKey_ExitsNonZeroNamingKey()
    {
        using var sut = new CliHarness();

        sut.CreateEmptyDatabase();

        var result = await sut.RunAsync("experiments", "show", "nope");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Experiment 'nope' does not exist", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_OneStoredExperimentUnreadable_ListsTheOthersAndExitsNonZeroNamingIt()
    {
        using var sut = new CliHarness();
        await sut.CreateSeedAsync(start: false);
        await sut.RunOkAsync("experiments", "create", "-f", sut.WriteFile("other.json", SeedExperiment.Json.Replace("prompt-opt-v2", "other-exp", StringComparison.Ordinal)));
        Damage(sut, "UPDATE experiments SET definition = '{\"key\":\"prompt-opt-v2\"}' WHERE key = 'prompt-opt-v2'");

        var result = await sut.RunAsync("experiments", "list");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("other-exp", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("prompt-opt-v2", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("error: experiment 'prompt-opt-v2' is stored but cannot be read: its stored definition is refused: ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_InALayerWhileAStoredExperimentIsUnreadable_ExitsNonZeroNamingIt()
    {
        using var sut = new CliHarness();
        await sut.CreateSeedAsync(start: false);
        Damage(sut, "DELETE FROM allocations WHERE experiment = 'prompt-opt-v2'");
        var layered = SeedExperiment.Json.Replace("prompt-opt-v2", "layered", StringComparison.Ordinal).TrimEnd()[..^1]
            + """, "layer": {"name": "checkout", "range": [0, 50], "holdout": 5}}""";

        var result = await sut.RunAsync("experiments", "create", "-f", sut.WriteFile("layered.json", layered));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cannot be checked against experiment 'prompt-opt-v2', which is stored but cannot be read", result.Stderr, StringComparison.Ordinal);
    }

    private static void Damage(CliHarness sut, string sql)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={sut.Db};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.True(command.ExecuteNonQuery() > 0, $"nothing to damage: {sql}");
    }
}
