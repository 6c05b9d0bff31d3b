using Rampart.Core.Rollouts;
using Rampart.Storage.Sqlite;

namespace Rampart.Cli.Tests.Demo;

public sealed class DemoCommandTests
{
    [Fact]
    public async Task Demo_KeptDatabase_ShowsEveryStepAndLeavesTheStory()
    {
        using var sut = new CliHarness();

        var result = await sut.RunOkAsync("demo", "--users", "5000");

        Assert.Contains("start: stage 1", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("this step moved", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("variant_b → control", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("audit trail", result.Stdout, StringComparison.Ordinal);
        var experiment = await new SqliteExperimentStore(sut.Db).FindAsync("prompt-opt-v2");
        Assert.Equal((ExperimentState.Completed, "variant_a"), (experiment!.State, experiment.Winner));
        Assert.True(experiment.IsRolledBack("variant_b"));
    }

    [Fact]
    public async Task Demo_RunTwiceOnOneDatabase_SecondUsesAFreeKey()
    {
        using var sut = new CliHarness();
        await sut.RunOkAsync("demo", "--users", "100");

        await sut.RunOkAsync("demo", "--users", "100");

        Assert.NotNull(await new SqliteExperimentStore(sut.Db).FindAsync("prompt-opt-v2-2"));
    }
}
