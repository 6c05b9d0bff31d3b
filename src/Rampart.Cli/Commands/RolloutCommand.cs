using System.CommandLine;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;

namespace Rampart.Cli.Commands;

/// <summary><c>rampart rollout start|pause|advance|stage|rollback|promote|target|shadow</c>: every change is an audit entry.</summary>
public static class RolloutCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("rollout", "Move an experiment along: start, pause, advance, set weights, roll back, promote");
        command.Subcommands.Add(Simple(context, "start", "Start a draft or resume a paused experiment", (e, now, reason) => Rollout.Start(e, now, CliContext.Who, reason)));
        command.Subcommands.Add(Simple(context, "pause", "Pause: every unit gets the control until started again", (e, now, reason) => Rollout.Pause(e, now, CliContext.Who, reason)));
        command.Subcommands.Add(Simple(context, "advance", "Move to the next planned stage", (e, now, reason) => Rollout.Advance(e, now, CliContext.Who, reason)));
        command.Subcommands.Add(StageCommand(context));
        command.Subcommands.Add(RollbackCommand(context));
        command.Subcommands.Add(PromoteCommand(context));
        command.Subcommands.Add(TargetCommand(context));
        command.Subcommands.Add(ShadowCommand(context));
        return command;
    }

    private static Command Simple(CliContext context, string name, string description, Func<Experiment, DateTimeOffset, string?, RolloutChange> change)
    {
        var key = KeyArgument();
        var reason = ReasonOption(required: false);
        var command = new Command(name, description) { key, reason };
        command.SetAction((parse, ct) => ApplyAsync(context, parse, parse.GetValue(key)!, (e, now) => change(e, now, parse.GetValue(reason)), ct));
        return command;
    }

    private static Command StageCommand(CliContext context)
    {
        var key = KeyArgument();
        var weights = new Option<string>("--weights") { Description = "Every variant's weight, e.g. control=60,variant_a=20,variant_b=20", Required = true };
        var reason = ReasonOption(required: false);
        var command = new Command("stage", "Serve weights given by hand") { key, weights, reason };
        command.SetAction((parse, ct) => ApplyAsync(context, parse, parse.GetValue(key)!, (e, now) =>
            Rollout.SetStage(e, StageWeights.Parse(parse.GetValue(weights)!, e.Definition.VariantNames), now, CliContext.Who, parse.GetValue(reason)), ct));
        return command;
    }

    private static Command RollbackCommand(CliContext context)
    {
        var key = KeyArgument();
        var variant = new Argument<string>("variant") { Description = "The variant to roll back" };
        var reason = ReasonOption(required: true);
        var command = new Command("rollback", "Roll a variant back: its units get the control from now on") { key, variant, reason };
        command.SetAction((parse, ct) => ApplyAsync(context, parse, parse.GetValue(key)!, (e, now) =>
            Rollout.Rollback(e, parse.GetValue(variant)!, RequireText(parse.GetValue(reason), "--reason"), now, CliContext.Who), ct));
        return command;
    }

    private static Command PromoteCommand(CliContext context)
    {
        var key = KeyArgument();
        var variant = new Argument<string>("variant") { Description = "The winner" };
        var reason = ReasonOption(required: false);
        var command = new Command("promote", "Promote a winner: it takes all traffic and the experiment completes") { key, variant, reason };
        command.SetAction((parse, ct) => ApplyAsync(context, parse, parse.GetValue(key)!, (e, now) =>
            Rollout.Promote(e, parse.GetValue(variant)!, now, CliContext.Who, parse.GetValue(reason)), ct));
        return command;
    }

    private static Command TargetCommand(CliContext context)
    {
        var key = KeyArgument();
        var file = new Option<FileInfo>("--file", "-f") { Description = "The targeting rule (JSON: {\"all\": [...]} or {\"any\": [...]}; docs/targeting.md)" };
        var clear = new Option<bool>("--clear") { Description = "Remove the targeting: every unit is in the experiment" };
        var reason = ReasonOption(required: false);
        var command = new Command("target", "Change who is in the experiment (units that still match keep their variant)") { key, file, clear, reason };
        command.SetAction(async (parse, ct) =>
        {
            var given = parse.GetValue(file);
            if ((given is null) == !parse.GetValue(clear))
            {
                throw new CliException("give either --file RULE.json or --clear");
            }

            var rule = given is null ? null : Core.Targeting.TargetingJson.Parse(await File.ReadAllTextAsync(given.FullName, ct).ConfigureAwait(false));
            return await ApplyAsync(context, parse, parse.GetValue(key)!, (e, now) => Rollout.SetTargeting(e, rule, now, CliContext.Who, parse.GetValue(reason)), ct).ConfigureAwait(false);
        });
        return command;
    }

    private static Command ShadowCommand(CliContext context)
    {
        var key = KeyArgument();
        var variants = new Option<string>("--variants") { Description = "The variants to call in shadow, e.g. variant_a,variant_b", Required = true };
        var rate = new Option<double>("--sample-rate") { Description = "The share of served requests each is also called on", DefaultValueFactory = _ => ShadowStage.DefaultSampleRate };
        var cap = new Option<double?>("--max-cost") { Description = "Each shadow variant's spend per UTC day (USD) after which it is not called until the next day" };
        var minDuration = new Option<string?>("--min-duration") { Description = "How long the shadow stage runs at least, e.g. 1d" };
        var reason = ReasonOption(required: false);
        var command = new Command("shadow", "Shadow variants (docs/shadow.md): on a draft, as its first stage; at the shadow stage, from now on") { key, variants, rate, cap, minDuration, reason };
        command.SetAction((parse, ct) =>
        {
            TimeSpan? duration = null;
            if (parse.GetValue(minDuration) is { } text)
            {
                duration = DurationText.TryParse(text, out var parsed) ? parsed : throw new CliException($"--min-duration '{text}' is not a duration; write e.g. 12h or 1d");
            }

            var shadow = new ShadowStage([.. parse.GetValue(variants)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)],
                parse.GetValue(rate), parse.GetValue(cap));
            return ApplyAsync(context, parse, parse.GetValue(key)!, (e, now) => Rollout.SetShadow(e, shadow, now, CliContext.Who, parse.GetValue(reason), duration), ct);
        });
        return command;
    }

    private static async Task<int> ApplyAsync(CliContext context, ParseResult parse, string key, Func<Experiment, DateTimeOffset, RolloutChange> change, CancellationToken ct)
    {
        var (store, _) = context.OpenStores(parse);
        var result = await new RolloutCommands(store, context.Time).ApplyAsync(key, change, ct).ConfigureAwait(false);
        var experiment = result.Experiment;
        var variant = result.Audit.Variant is null ? "" : $" {result.Audit.Variant}";
        await context.Stdout.WriteLineAsync($"{result.Audit.ActionName} {key}{variant}: {result.Audit.Reason}").ConfigureAwait(false);
        await context.Stdout.WriteLineAsync(
            $"now {experiment.State.ToString().ToLowerInvariant()}, serving {StageWeights.Format(experiment.Definition.VariantNames, experiment.CurrentWeights)}").ConfigureAwait(false);
        return 0;
    }

    private static Argument<string> KeyArgument() => new("key") { Description = "The experiment's key" };

    private static Option<string> ReasonOption(bool required) =>
        new("--reason") { Description = required ? "Why (recorded in the audit log)" : "Why (recorded in the audit log; a description of the change by default)", Required = required };

    private static string RequireText(string? text, string option) =>
        string.IsNullOrWhiteSpace(text) ? throw new CliException($"{option} must not be empty") : text;
}
