using System.CommandLine;
using System.Globalization;
using Rampart.Stats.Power;

namespace Rampart.Cli.Commands;

/// <summary>
/// <c>rampart sample-size --baseline 0.78 --lift 0.02 [--alpha 0.05] [--power 0.8]</c>: units per variant to detect an
/// absolute change of a rate with a two-sided test, by Cohen's h (docs/statistics.md).
/// </summary>
public static class SampleSizeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var baseline = new Option<double>("--baseline") { Description = "The control's rate, e.g. 0.78 (78% satisfied)", Required = true };
        var lift = new Option<double>("--lift") { Description = "The absolute change to detect, e.g. 0.02 (78% → 80%)", Required = true };
        var alpha = new Option<double>("--alpha") { Description = "Two-sided significance level", DefaultValueFactory = _ => 0.05 };
        var power = new Option<double>("--power") { Description = "Probability of detecting the change", DefaultValueFactory = _ => 0.8 };
        var command = new Command("sample-size", "Units per variant needed to detect a change of a rate (two-sided, Cohen's h)") { baseline, lift, alpha, power };
        command.SetAction(async (parse, ct) =>
        {
            var p1 = parse.GetValue(baseline);
            var change = parse.GetValue(lift);
            var a = parse.GetValue(alpha);
            var pw = parse.GetValue(power);
            var p2 = p1 + change;
            OpenUnit(p1, "--baseline", "a rate such as 0.78");
            OpenUnit(a, "--alpha", "e.g. 0.05");
            OpenUnit(pw, "--power", "e.g. 0.8");
            if (change == 0 || !double.IsFinite(change))
            {
                throw new CliException("--lift must be a non-zero change of the rate, e.g. 0.02");
            }

            if (!(p2 is > 0 and < 1))
            {
                throw new CliException($"--lift {Text(change)} takes the baseline {Text(p1)} to {Text(p2)}, outside (0, 1); give the absolute change of the rate, e.g. 0.02");
            }

            var result = SampleSize.ForTwoProportions(p1, p2, a, pw);
            if (result.UnitsPerGroup is not { } n)
            {
                throw new CliException(result.Reason ?? "the sample size cannot be computed");
            }

            await context.Stdout.WriteLineAsync($"units per variant: {n.ToString(CultureInfo.InvariantCulture)}").ConfigureAwait(false);
            await context.Stdout.WriteLineAsync(
                $"to detect {Text(p1)} → {Text(p2)} (lift {(change > 0 ? "+" : "")}{Text(change)}, {(change > 0 ? "+" : "")}{(change / p1 * 100).ToString("0.##", CultureInfo.InvariantCulture)}% relative) " +
                $"with a two-sided test at alpha {Text(a)} and power {Text(pw)}").ConfigureAwait(false);
            await context.Stdout.WriteLineAsync(
                $"Cohen's h = {result.EffectSize.ToString("0.######", CultureInfo.InvariantCulture)}; n = 2·((z(1−alpha/2) + z(power))/h)² = " +
                $"{result.UnroundedUnitsPerGroup!.Value.ToString("0.##", CultureInfo.InvariantCulture)}, rounded up").ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static void OpenUnit(double value, string option, string example)
    {
        if (!(value is > 0 and < 1))
        {
            throw new CliException($"{option} must lie strictly between 0 and 1 ({example}); got {Text(value)}");
        }
    }

    private static string Text(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
