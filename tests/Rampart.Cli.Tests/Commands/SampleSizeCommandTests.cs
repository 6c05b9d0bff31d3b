namespace Rampart.Cli.Tests.Commands;

public sealed class SampleSizeCommandTests
{
    [Theory]
    // math.ceil(NormalIndPower().solve_power(effect_size=proportion_effectsize(0.80, 0.78), alpha=0.05, power=0.8)) -> 6508 (6507.330263176587)
    [InlineData("0.78", "0.02", "0.05", "0.8", 6508)]
    // math.ceil(NormalIndPower().solve_power(effect_size=proportion_effectsize(0.08, 0.10), alpha=0.01, power=0.9)) -> 6076 (6075.301275081905)
    [InlineData("0.1", "-0.02", "0.01", "0.9", 6076)]
    // math.ceil(NormalIndPower().solve_power(effect_size=proportion_effectsize(0.55, 0.50), alpha=0.05, power=0.8)) -> 1565 (1564.529011262687)
    [InlineData("0.5", "0.05", "0.05", "0.8", 1565)]
    public async Task SampleSize_Rates_MatchesStatsmodels(string baseline, string lift, string alpha, string power, long expected)
    {
        using var sut = new CliHarness();

        var result = await sut.RunOkAsync("sample-size", "--baseline", baseline, "--lift", lift, "--alpha", alpha, "--power", power);

        Assert.StartsWith($"units per variant: {expected}\n", result.Stdout.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SampleSize_Defaults_SaysWhatItAssumed()
    {
        using var sut = new CliHarness();

        var result = await sut.RunOkAsync("sample-size", "--baseline", "0.78", "--lift", "0.02");

        Assert.Contains("to detect 0.78 → 0.8 (lift +0.02, +2.56% relative) with a two-sided test at alpha 0.05 and power 0.8", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Cohen's h = 0.049115", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.78", "0.3", "error: --lift 0.3 takes the baseline 0.78 to 1.08, outside (0, 1); give the absolute change of the rate, e.g. 0.02")]
    [InlineData("0.78", "-0.78", "error: --lift -0.78 takes the baseline 0.78 to 0, outside (0, 1); give the absolute change of the rate, e.g. 0.02")]
    [InlineData("1.2", "0.02", "error: --baseline must lie strictly between 0 and 1 (a rate such as 0.78); got 1.2")]
    [InlineData("0.78", "0", "error: --lift must be a non-zero change of the rate, e.g. 0.02")]
    public async Task SampleSize_BadInput_NamesTheOptionAndExitsNonZero(string baseline, string lift, string expected)
    {
        using var sut = new CliHarness();

        var result = await sut.RunAsync("sample-size", "--baseline", baseline, "--lift", lift);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(expected, result.Stderr.TrimEnd());
    }

    [Fact]
    public async Task SampleSize_BadAlpha_NamesTheOption()
    {
        using var sut = new CliHarness();

        var result = await sut.RunAsync("sample-size", "--baseline", "0.78", "--lift", "0.02", "--alpha", "5");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: --alpha must lie strictly between 0 and 1 (e.g. 0.05); got 5", result.Stderr.TrimEnd());
    }
}
