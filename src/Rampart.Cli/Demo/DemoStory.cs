using System.Globalization;
using Rampart.Analysis.Monitoring;
using Rampart.Cli.Commands;
using Rampart.Cli.Rendering;
using Rampart.Core.Alerts;
using Rampart.Core.Audit;
using Rampart.Core.Events;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;
using Rampart.Simulation;
using Spectre.Console;

namespace Rampart.Cli.Demo;

/// <summary>
/// A whole staged rollout in compressed time: the experiment is created and started; simulated users arrive every ten
/// simulated minutes, are assigned for real and answered by the simulated provider, and their events go into the store;
/// after each step the monitor's engine decides and its actions are carried out on the store by the server's monitor's
/// <see cref="RolloutActuator"/> (as <c>monitor</c>, with the metrics behind them and the same alerts). The first stage is a
/// shadow day (everyone served the control, the variants also called on a sample of the same requests and compared in
/// pairs): variant_c's worse answers are caught there by the judge's quality guardrail within hours (its users' thumbs-up
/// rate, 2 points below the control's, would take days to show it) and variant_b's injected fault (its error rate jumps to
/// 12% 12 hours in) by the error guardrail, each rolled back with an alert before it served anyone; then variant_a passes
/// the paired gate, ramps up stage by stage as the promotion criteria hold, and is promoted. It ends with the results
/// table, the recommendation and the audit trail.
/// </summary>
internal sealed class DemoStory(CliContext context, IExperimentStore experiments, IEventStore events, IAlertSink alerts)
{
    /// <summary>When the simulated story begins (a Monday morning).</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The injected fault: variant_b's provider starts failing 12% of its calls 12 simulated hours in, during the shadow day.</summary>
    public static readonly SimulatedFault Fault = new("variant_b", From: TimeSpan.FromHours(12), ErrorRate: 0.12);

    private const int WriteBatch = 20_000;

    /// <summary>Runs the story; returns the experiment's key (another when the definition's key is taken in this database).</summary>
    public async Task<string> RunAsync(ExperimentDefinition definition, ulong seed, CancellationToken ct)
    {
        definition = await FreeKeyAsync(definition, ct).ConfigureAwait(false);
        var key = definition.Key;
        var draft = Experiment.CreateDraft(definition, Start);
        await experiments.CreateAsync(draft, Rollout.Created(draft, "demo"), ct).ConfigureAwait(false);
        var started = Rollout.Start(draft, Start, "demo");
        await experiments.UpdateAsync(started.Experiment, started.Audit, ct).ConfigureAwait(false);

        Say($"[bold]Rampart demo[/]: '{Markup.Escape(key)}': control (gpt-4) vs variant_a (a warmer prompt) vs variant_b (the cheaper, faster gpt-4-turbo-preview) vs variant_c (gpt-4o-mini told to answer in one sentence)");
        Say($"simulated users on the built-in simulated provider, in compressed time from {Start:yyyy-MM-dd HH:mm} UTC; the monitor checks every {DurationText.Format(definition.Guardrails.CheckInterval)}; advance: {definition.Advance.ToString().ToLowerInvariant()}");
        Say(string.Create(CultureInfo.InvariantCulture, $"injected fault: from day {Fault.From!.Value.TotalDays:0.##} ({Fault.From.Value.TotalHours:0} h in) variant_b's provider fails {Fault.ErrorRate * 100:0}% of its calls"));
        foreach (var judge in definition.Judges)
        {
            Say(string.Create(CultureInfo.InvariantCulture, $"judge '{Markup.Escape(judge.Name)}' ({Markup.Escape(judge.Model)}, simulated) rates {judge.SampleRate * 100:0.#}% of the answers {judge.ScaleMin:0}–{judge.ScaleMax:0}, shown as 0–1; a variant whose score is established more than the guardrail's max_drop below the control's is rolled back"));
        }

        Say($"day 0.0  [green]start[/]  stage 1, {Weights(started.Experiment)}");

        var scenario = new SimulationScenario
        {
            Definition = definition,
            Seed = seed,
            Start = Start,
            Duration = TimeSpan.FromDays(10),
            UsersPerStep = 60,
            RequestsPerUser = 3,
            FeedbackRate = 0.7,
            JudgeAgreement = 0.6,   // people and the judge agree about which answers were good, imperfectly
            Faults = [Fault],
        };
        var simulation = new RolloutSimulation(scenario, started.Experiment);
        var held = new HeldAlertSink(alerts);
        var actuator = simulation.Actuator(experiments, held);   // audit times, stage starts and alerts in simulated time
        var names = definition.VariantNames;
        var day = new DemoDay(names, definition.PrimaryScore, [.. definition.Judges.Select(j => j.ScoreName)]);
        var pending = new List<ExperimentEvent>(WriteBatch);
        long written = 0;
        var lastDay = 0;
        while (!simulation.Finished)
        {
            foreach (var e in simulation.Step())
            {
                var stored = e with { Id = $"{key}:{written + pending.Count}" };
                pending.Add(stored);
                day.Add(stored);
            }

            if (pending.Count >= WriteBatch)
            {
                written += await WriteAsync(pending, ct).ConfigureAwait(false);
            }

            var today = (int)(simulation.Elapsed.TotalHours / 24);
            if (today > lastDay)
            {
                Say($"day {today}.0  {Markup.Escape(day.Describe())}");
                day.Clear();
                lastDay = today;
            }

            var decision = simulation.Decide(explain: false);
            if (decision.Actions.Count > 0)
            {
                written += await WriteAsync(pending, ct).ConfigureAwait(false);   // the store holds what the decision saw
                foreach (var acted in await simulation.ApplyAsync(decision, actuator, ct).ConfigureAwait(false))
                {
                    Report(simulation, acted);
                    held.Release();
                }
            }
        }

        written += await WriteAsync(pending, ct).ConfigureAwait(false);
        Say($"day {simulation.Elapsed.TotalDays:0.0}  {Markup.Escape(day.Describe())}");
        Say($"{written:N0} events stored; {string.Join(", ", names.Select(n => $"{n} served {simulation.RequestsOf(n):N0} requests"))}");

        var final = await CliContext.FindAsync(experiments, key, ct).ConfigureAwait(false);
        context.Console.WriteLine();
        context.Console.Write(new Rule("[bold]results[/]").LeftJustified());
        var document = await ResultsCommand.AnalyzeAsync(final, events, ct).ConfigureAwait(false);
        await ResultsOutput.WriteAsync(context, document, "table", definition.PrimaryScore, definition.Promotion.Alpha).ConfigureAwait(false);
        context.Console.WriteLine();
        ExperimentTables.Show(context.Console, final, await experiments.AuditAsync(key, ct).ConfigureAwait(false));
        return key;
    }

    private void Report(RolloutSimulation simulation, ActuationResult acted)
    {
        var when = $"day {simulation.Elapsed.TotalDays:0.0}";
        if (acted.Change is not { Audit: var audit, Experiment: var experiment })
        {
            // A sample-ratio mismatch holds advance and promotion: said once per stage, as the monitor alerts once per stage.
            Say($"{when}  [yellow]hold[/]  {Markup.Escape(acted.Action.Reason)}");
            return;
        }

        switch (audit.Action)
        {
            case AuditAction.Rollback:
                Say($"{when}  [red]rollback[/] {Markup.Escape(audit.Variant!)} by the monitor: {Markup.Escape(audit.Reason)}");
                Say($"{when}  now: {Weights(experiment)}");
                break;
            case AuditAction.Promote:
                Say($"{when}  [green]promote[/] {Markup.Escape(audit.Variant!)} by the monitor: {Markup.Escape(audit.Reason)}");
                Say($"{when}  now: {Weights(experiment)}");
                break;
            default:
                Say($"{when}  [green]{audit.ActionName}[/] to stage {experiment.Stage + 1}: {Weights(experiment)}");
                Say($"          {Markup.Escape(audit.Reason)}");
                break;
        }
    }

    private async Task<int> WriteAsync(List<ExperimentEvent> pending, CancellationToken ct)
    {
        if (pending.Count == 0)
        {
            return 0;
        }

        await events.AppendAsync(pending, ct).ConfigureAwait(false);
        var count = pending.Count;
        pending.Clear();
        return count;
    }

    private static string Weights(Experiment experiment)
    {
        var definition = experiment.Definition;
        if (experiment.State == ExperimentState.Running && experiment.Stage < definition.Stages.Length && definition.Stages[experiment.Stage].Shadow is { } shadow)
        {
            var shadowed = shadow.Variants.Where(v => !experiment.IsRolledBack(v)).ToList();
            return Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"shadow: {definition.Control} serves everyone; {(shadowed.Count == 0 ? "no variant left to call" : string.Join(", ", shadowed))} also called on {shadow.SampleRate * 100:0.#}% of the requests, answers seen by nobody"));
        }

        var names = experiment.Definition.VariantNames;
        var weights = experiment.CurrentWeights;
        return Markup.Escape(string.Join(" · ", names.Select((n, i) => string.Create(CultureInfo.InvariantCulture, $"{n} {weights[i]}%"))));
    }

    private void Say(string markup) => context.Console.MarkupLine(markup);

    private async Task<ExperimentDefinition> FreeKeyAsync(ExperimentDefinition definition, CancellationToken ct)
    {
        for (var n = 2; await experiments.FindAsync(definition.Key, ct).ConfigureAwait(false) is not null; n++)
        {
            definition = definition with { Key = $"prompt-opt-v2-{n}", Salt = $"prompt-opt-v2-{n}" };
        }

        return definition;
    }
}
