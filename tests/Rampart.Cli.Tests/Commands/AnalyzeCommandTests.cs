using System.Globalization;
using System.Text;
using Rampart.Analysis;
using Rampart.Analysis.Reading;
using Rampart.Analysis.Results;

namespace Rampart.Cli.Tests.Commands;

public sealed class AnalyzeCommandTests
{
    [Fact]
    public async Task Analyze_TableFormat_PrintsTheDashboardAndRecommendation()
    {
        using var sut = new CliHarness();
        var file = sut.WriteFile("events.jsonl", Events(seed: 1));

        var result = await sut.RunOkAsync("analyze", "--events", file, "--weights", "control=80,variant_a=10,variant_b=10");

        foreach (var header in new[] { "variant", "traffic", "user_satisfaction", "latency p50 / p95", "cost / query", "error rate", "p-value" })
        {
            Assert.Contains(header, result.Stdout, StringComparison.Ordinal);
        }

        Assert.Contains("│ variant_a ", result.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"units \(\d+\.\d%; weight 80%\)", result.Stdout);
        Assert.Contains("⬆", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Sample ratio: no mismatch", result.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"Recommendation: (CONTINUE|PROMOTE|ROLL BACK)", result.Stdout);
        Assert.Contains("  • ", result.Stdout, StringComparison.Ordinal);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public async Task Analyze_JsonFormat_PrintsExactlyTheResultsDocument()
    {
        using var sut = new CliHarness();
        var file = sut.WriteFile("events.jsonl", Events(seed: 2));

        var result = await sut.RunOkAsync("analyze", "--events", file, "--format", "json", "--weights", "control=80,variant_a=10,variant_b=10");

        var options = new AnalysisOptions { Variants = ["control", "variant_a", "variant_b"], Weights = [80, 10, 10] };
        var expected = ExperimentAnalyzer.Analyze(EventFileReader.Read(file).Experiments.Single(), options);
        Assert.Equal(ResultsJson.Serialize(expected) + Environment.NewLine, result.Stdout);
        Assert.Equal("prompt-opt-v2", ResultsJson.Parse(result.Stdout).Experiment);
    }

    [Fact]
    public async Task Analyze_BadLine_ReportsLineAndFieldAndExitsNonZero()
    {
        using var sut = new CliHarness();
        var lines = Events(seed: 3).Split('\n');
        var bad = Array.FindIndex(lines, l => l.Contains("\"latency_ms\":", StringComparison.Ordinal));
        lines[bad] = lines[bad].Replace("\"latency_ms\":", "\"latency_ms\":\"slow\",\"x\":", StringComparison.Ordinal);
        var file = sut.WriteFile("events.jsonl", string.Join('\n', lines));

        var result = await sut.RunAsync("analyze", "--events", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.StartsWith($"error: line {bad + 1}: 'latency_ms' must be a number of milliseconds in [0, 86400000] or null (in events.jsonl; --skip-invalid", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("json")]
    [InlineData("table")]
    public async Task Analyze_SkipInvalid_SkipsAndCountsBadLines(string format)
    {
        using var sut = new CliHarness();
        var file = sut.WriteFile("events.jsonl", Events(seed: 4) + "{\"type\":\"exposure\"}\nnot json\n");

        var result = await sut.RunOkAsync("analyze", "--events", file, "--skip-invalid", "--format", format);

        Assert.Contains("skipped 2 invalid line(s) of events.jsonl", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(": is not valid JSON", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("'experiment' is required", result.Stderr, StringComparison.Ordinal);
        if (format == "json")
        {
            Assert.Equal("prompt-opt-v2", ResultsJson.Parse(result.Stdout).Experiment);
        }
        else
        {
            Assert.Contains("skipped 2 invalid line(s) of events.jsonl", result.Stdout, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("control=80,variant_a=10,variant_b=5", "error: --weights sums to 95; weights must sum to 100")]
    [InlineData("control=80,variant_a=10,variant_b=x", "error: --weights.variant_b must be a percentage from 0 to 100 with at most two decimals")]
    [InlineData("control=90,variant_a=10", "error: Variant 'variant_b' of 'prompt-opt-v2' has events but is not among the variants given (control, variant_a). Give every variant a weight in --weights.")]
    public async Task Analyze_BadWeights_NamesTheOptionAndExitsNonZero(string weights, string expected)
    {
        using var sut = new CliHarness();
        var file = sut.WriteFile("events.jsonl", Events(seed: 5));

        var result = await sut.RunAsync("analyze", "--events", file, "--weights", weights);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(expected, result.Stderr.TrimEnd());
    }

    [Fact]
    public async Task Analyze_UnknownControl_NamesItAndTheVariants()
    {
        using var sut = new CliHarness();
        var file = sut.WriteFile("events.jsonl", Events(seed: 6));

        var result = await sut.RunAsync("analyze", "--events", file, "--control", "baseline");

        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@"^error: The control 'baseline' is not a variant of 'prompt-opt-v2'; the variants are (control|variant_a|variant_b), (control|variant_a|variant_b), (control|variant_a|variant_b)\. Name the control with --control\.$", result.Stderr.TrimEnd());
    }

    [Fact]
    public async Task Analyze_MissingFile_ExitsNonZero()
    {
        using var sut = new CliHarness();

        var result = await sut.RunAsync("analyze", "--events", "no-such-file.jsonl");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no-such-file.jsonl", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_SeveralExperiments_AsksWhichOne()
    {
        using var sut = new CliHarness();
        var file = sut.WriteFile("events.jsonl", Events(seed: 7) + Events(seed: 8).Replace("prompt-opt-v2", "other-exp", StringComparison.Ordinal));

        var ambiguous = await sut.RunAsync("analyze", "--events", file);
        var chosen = await sut.RunOkAsync("analyze", "--events", file, "--experiment", "other-exp", "--format", "json");

        Assert.Equal(1, ambiguous.ExitCode);
        Assert.Contains("holds events of several experiments (prompt-opt-v2, other-exp); choose one with --experiment", ambiguous.Stderr, StringComparison.Ordinal);
        Assert.Equal("other-exp", ResultsJson.Parse(chosen.Stdout).Experiment);
    }

    [Fact]
    public async Task Analyze_OtherPrimaryScore_ComparesIt()
    {
        using var sut = new CliHarness();
        var file = sut.WriteFile("events.jsonl", Events(seed: 9));

        var result = await sut.RunOkAsync("analyze", "--events", file, "--score", "helpfulness", "--format", "json");

        var document = ResultsJson.Parse(result.Stdout);
        Assert.Equal(["helpfulness", "error_rate", "latency_ms", "cost_usd"], document.Variants[1].VsControl!.Keys);
        Assert.Equal("helpfulness", document.Variants[1].Scores.Keys.First());
    }

    [Theory]
    [InlineData("\"latency_ms\":1e200", "'latency_ms' must be a number of milliseconds in [0, 86400000]")]
    [InlineData("\"latency_ms\":5,\"cost_usd\":1e200", "'cost_usd' must be a number of US dollars in [0, 1000000]")]
    [InlineData("\"latency_ms\":5,\"prompt_tokens\":9223372036854775807", "'prompt_tokens' must be a whole number in [0, 1000000000]")]
    [InlineData("\"latency_ms\":-1", "'latency_ms' must be a number of milliseconds in [0, 86400000]")]
    public async Task Analyze_PoisonedNumber_LineErrorNotInternalError(string numbers, string expected)
    {
        using var sut = new CliHarness();
        var poisoned = Completion("user-1", numbers);
        var file = sut.WriteFile("events.jsonl", Events(seed: 10) + poisoned + "\n" + poisoned + "\n");
        var line = Events(seed: 10).Split('\n').Length;

        var result = await sut.RunAsync("analyze", "--events", file, "--format", "json");

        Assert.Equal(CliApp.UserError, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.StartsWith($"error: line {line}: {expected}", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_SkipInvalidWithPoisonedNumbers_SkipsEachAndAnalysesTheRest()
    {
        using var sut = new CliHarness();
        var clean = sut.WriteFile("clean.jsonl", Events(seed: 11));
        var poisoned = string.Join("\n",
            Completion("user-1", "\"latency_ms\":1e200"),
            Completion("user-2", "\"latency_ms\":5,\"cost_usd\":1e200"),
            Completion("user-3", "\"latency_ms\":5,\"prompt_tokens\":9223372036854775807"),
            Completion("user-4", "\"latency_ms\":5,\"completion_tokens\":9223372036854775807"),
            """{"type":"feedback","experiment":"prompt-opt-v2","variant":"control","unit":"user-5","ts":"2026-11-01T00:00:00Z","score":"user_satisfaction","value":1e200}""");
        var file = sut.WriteFile("events.jsonl", Events(seed: 11) + poisoned + "\n");

        var result = await sut.RunOkAsync("analyze", "--events", file, "--format", "json", "--skip-invalid");

        var expected = await sut.RunOkAsync("analyze", "--events", clean, "--format", "json");
        Assert.Equal(expected.Stdout, result.Stdout);
        Assert.Contains("skipped 5 invalid line(s) of events.jsonl", result.Stderr, StringComparison.Ordinal);
        foreach (var field in new[] { "'latency_ms'", "'cost_usd'", "'prompt_tokens'", "'completion_tokens'", "'value'" })
        {
            Assert.Contains(field, result.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Analyze_TokensAtTheLimit_SumWithoutWrappingNegative()
    {
        using var sut = new CliHarness();
        var lines = Enumerable.Range(0, 20).Select(i => Completion($"user-{i}", "\"latency_ms\":5,\"prompt_tokens\":1000000000,\"completion_tokens\":1000000000"));
        var file = sut.WriteFile("events.jsonl", string.Join("\n", lines));

        var result = await sut.RunOkAsync("analyze", "--events", file, "--format", "json");

        var tokens = ResultsJson.Parse(result.Stdout).Variants.Single().Tokens;
        Assert.Equal((20_000_000_000L, 20_000_000_000L, 40_000_000_000L), (tokens.Prompt, tokens.Completion, tokens.Total));
    }

    [Fact]
    public async Task Analyze_DuplicateIds_CountsEachEventOnce()
    {
        using var sut = new CliHarness();
        var lines = Events(seed: 12).TrimEnd('\n').Split('\n').Select((l, i) => l.Replace("{\"type\":", $"{{\"id\":\"ev-{i}\",\"type\":", StringComparison.Ordinal)).ToArray();
        var clean = sut.WriteFile("clean.jsonl", string.Join("\n", lines));

        // Every fifth event again, its numbers changed: a retried upload must not change counts or p-values.
        var repeated = lines.Where((_, i) => i % 5 == 0).Select(l => l.Replace("\"value\":0", "\"value\":1", StringComparison.Ordinal).Replace("\"latency_ms\":", "\"latency_ms\":4", StringComparison.Ordinal)).ToArray();
        var file = sut.WriteFile("events.jsonl", string.Join("\n", lines.Concat(repeated)));

        var result = await sut.RunOkAsync("analyze", "--events", file, "--format", "json");

        var expected = await sut.RunOkAsync("analyze", "--events", clean, "--format", "json");
        Assert.Equal(expected.Stdout, result.Stdout);
        Assert.Equal($"{repeated.Length} duplicate event(s) of events.jsonl skipped (an earlier line has the same id)" + Environment.NewLine, result.Stderr);
    }

    private static string Completion(string unit, string numbers) =>
        $$"""{"type":"completion","experiment":"prompt-opt-v2","variant":"control","unit":"{{unit}}","ts":"2026-11-01T00:00:00Z",{{numbers}}}""";

    /// <summary>A seeded JSON Lines file of the seed experiment: about 80/10/10 units, completions, satisfaction and helpfulness feedback.</summary>
    [Fact]
    public async Task Analyze_TableWithAJudge_ShowsItsScoreColumnAndACostAndCalibrationLineWithin160Columns()
    {
        using var sut = new CliHarness();
        var random = new Random(4);
        var judged = new StringBuilder();
        foreach (var line in Events(seed: 4).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            judged.Append(line).Append('\n');
            if (line.Contains("\"score\":\"user_satisfaction\"", StringComparison.Ordinal))
            {
                var human = line.EndsWith("\"value\":1}", StringComparison.Ordinal) ? 1 : 0;
                var verdict = random.NextDouble() < 0.8 ? human * 0.75 + 0.25 : 0.5;
                judged.Append(line
                    .Replace("\"score\":\"user_satisfaction\"", "\"score\":\"judge_helpfulness\"", StringComparison.Ordinal)
                    .Replace($"\"value\":{human}}}", FormattableString.Invariant($"\"value\":{verdict},\"source\":\"judge\",\"model\":\"judge-mini\",\"cost_usd\":0.0003}}"), StringComparison.Ordinal))
                    .Append('\n');
            }
        }

        var file = sut.WriteFile("events.jsonl", judged.ToString());

        var result = await sut.RunOkAsync("analyze", "--events", file, "--weights", "control=80,variant_a=10,variant_b=10");

        Assert.Contains("│ judge_helpfulness ", result.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"│ 0\.\d{3} \(n \d+\) [⬆⬇=]( ✓)? +│ (-|\d)", result.Stdout);
        Assert.Matches(@"Judge helpfulness \(judge-mini\): cost control \$0\.\d+, variant_a \$0\.\d+, variant_b \$0\.\d+; calibration vs user_satisfaction: r 0\.\d\d, κ 0\.\d\d, n \d+", result.Stdout);
        Assert.All(result.Stdout.Split('\n'), line => Assert.True(line.Length <= 160, $"{line.Length} columns: {line}"));
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public async Task Analyze_ShadowPairs_ShowsTheShadowPairedTableWithin160Columns()
    {
        using var sut = new CliHarness();
        var text = new StringBuilder(Events(seed: 4));
        for (var i = 0; i < 40; i++)
        {
            var common = $"\"experiment\":\"prompt-opt-v2\",\"unit\":\"shadowed-{i}\",\"ts\":\"2026-11-03T00:00:{i % 60:00}Z\"";
            var latency = 400 + (i * 7);
            text.Append(CultureInfo.InvariantCulture, $"{{\"type\":\"completion\",{common},\"variant\":\"control\",\"request_id\":\"s{i}\",\"pair_id\":\"s{i}\",\"latency_ms\":{latency},\"cost_usd\":0.001,\"error\":{(i % 13 == 0 ? "\"boom\"" : "null")}}}\n");
            text.Append(CultureInfo.InvariantCulture, $"{{\"type\":\"completion\",{common},\"variant\":\"variant_a\",\"request_id\":\"s{i}-a\",\"shadow\":true,\"pair_id\":\"s{i}\",\"latency_ms\":{latency * 1.1},\"cost_usd\":0.002,\"error\":{(i % 9 == 0 ? "\"boom\"" : "null")}}}\n");
        }

        var file = sut.WriteFile("events.jsonl", text.ToString());

        var result = await sut.RunOkAsync("analyze", "--events", file, "--weights", "control=80,variant_a=10,variant_b=10");

        Assert.Contains("shadow (paired)", result.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"│ variant_a +│ 40 +│ 4 / 3 +│ \+2\.50% \(p 0\.\d{4}\) +│ 1\.100 ", result.Stdout);
        Assert.All(result.Stdout.Split('\n'), line => Assert.True(line.Length <= 160, $"{line.Length} columns: {line}"));
        Assert.Equal("", result.Stderr);
    }

    internal static string Events(int seed, int units = 400)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        for (var u = 0; u < units; u++)
        {
            var draw = random.NextDouble();
            var variant = draw < 0.8 ? "control" : draw < 0.9 ? "variant_a" : "variant_b";
            var common = $"\"experiment\":\"prompt-opt-v2\",\"variant\":\"{variant}\",\"unit\":\"user-{u}\"";
            text.Append(CultureInfo.InvariantCulture, $"{{\"type\":\"exposure\",{common},\"ts\":\"{Ts(start, u, 0)}\"}}\n");
            for (var r = 0; r < 1 + random.Next(3); r++)
            {
                var failed = random.NextDouble() < 0.02;
                var latency = Math.Round((variant == "variant_b" ? 700 : 900) * (0.6 + random.NextDouble()), 1);
                text.Append(CultureInfo.InvariantCulture,
                    $"{{\"type\":\"completion\",{common},\"request_id\":\"r-{u}-{r}\",\"ts\":\"{Ts(start, u, r + 1)}\",\"latency_ms\":{latency},\"prompt_tokens\":120,\"completion_tokens\":80,\"cost_usd\":0.0084,\"error\":{(failed ? "\"timeout\"" : "null")}}}\n");
                var satisfied = random.NextDouble() < (variant == "variant_a" ? 0.85 : 0.75) ? 1 : 0;
                text.Append(CultureInfo.InvariantCulture,
                    $"{{\"type\":\"feedback\",{common},\"request_id\":\"r-{u}-{r}\",\"ts\":\"{Ts(start, u, r + 2)}\",\"score\":\"user_satisfaction\",\"value\":{satisfied}}}\n");
                text.Append(CultureInfo.InvariantCulture,
                    $"{{\"type\":\"feedback\",{common},\"request_id\":\"r-{u}-{r}\",\"ts\":\"{Ts(start, u, r + 2)}\",\"score\":\"helpfulness\",\"value\":{1 + random.Next(5)}}}\n");
            }
        }

        return text.ToString();
    }

    private static string Ts(DateTimeOffset start, int unit, int step) =>
        start.AddMinutes(unit).AddSeconds(step).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
