using Rampart.Analysis.Decisions;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;

namespace Rampart.Analysis.Monitoring;

/// <summary>
/// What the monitor should do now about one experiment (docs/statistics.md), as a pure function of the experiment, its signals and
/// the time: roll back every variant whose guardrail is established as breached (and then nothing else); otherwise hold
/// and alert on a sample-ratio mismatch in the current stage; otherwise advance (<c>scheduled</c>: the stage's
/// <c>min_duration</c> elapsed; <c>auto</c>: elapsed and a variant meets the promotion criteria) or, after the last stage in
/// <c>auto</c> mode, promote the best variant meeting every criterion. <c>manual</c> experiments are only guarded. At a shadow
/// stage (docs/shadow.md, The gate) the shadow variants are guarded on their shadow calls, the split is not checked (every unit
/// is served the control), the stage advances (<c>auto</c>) only on <see cref="ShadowGate"/>'s paired gate, and nothing is
/// ever promoted.
/// </summary>
public static class MonitorEngine
{
    /// <summary>The actions due for <paramref name="experiment"/> at <paramref name="now"/>.</summary>
    /// <param name="experiment">The experiment as it stands.</param>
    /// <param name="signals">Its events, reduced.</param>
    /// <param name="now">The time of the check.</param>
    /// <param name="explain">Whether to write <see cref="MonitorDecision.Notes"/> (simulations running millions of checks skip them).</param>
    public static MonitorDecision Evaluate(Experiment experiment, RolloutSignals signals, DateTimeOffset now, bool explain = true)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(signals);
        var notes = explain ? new List<string>() : null;
        if (experiment.State != ExperimentState.Running)
        {
            return MonitorDecision.None([$"'{experiment.Key}' is {experiment.State.ToString().ToLowerInvariant()}: nothing to check."]);
        }

        var definition = experiment.Definition;
        var control = signals.Find(definition.Control);
        List<MonitorAction>? rollbacks = null;
        foreach (var v in definition.Variants)
        {
            var name = v.Name;
            if (name == definition.Control || experiment.IsRolledBack(name) || signals.Find(name) is not { } variant)
            {
                continue;
            }

            if ((GuardrailEvaluator.Breach(variant, control, definition.Guardrails, signals.Tuning)
                ?? ScoreGuardrail.Breach(variant, control, definition.Guardrails)) is { } breach)
            {
                (rollbacks ??= []).Add(breach);
            }
        }

        var shadow = experiment.Stage < definition.Stages.Length ? definition.Stages[experiment.Stage].Shadow : null;
        foreach (var name in shadow?.Variants ?? [])
        {
            if (!experiment.IsRolledBack(name) && ShadowGate.Breach(name, signals, definition) is { } breach)
            {
                (rollbacks ??= []).Add(breach);
            }
        }

        if (rollbacks is not null)
        {
            return new MonitorDecision(rollbacks, Notes(notes));
        }

        if (definition.Advance == AdvanceMode.Manual || experiment.Stage >= definition.Stages.Length)
        {
            return MonitorDecision.None(Notes(notes));
        }

        if (shadow is not null)
        {
            notes?.Add($"The split of stage {experiment.Stage + 1} is not checked: a shadow stage serves every unit the control.");
        }
        else if (StageSampleRatio.Mismatch(experiment, signals, notes) is { } srm)
        {
            return new MonitorDecision([srm], Notes(notes));
        }

        var stage = definition.Stages[experiment.Stage];
        var since = experiment.StageStartedAt ?? now;
        var elapsed = now - since;
        var minimum = stage.MinDuration ?? TimeSpan.Zero;
        if (elapsed < minimum)
        {
            notes?.Add($"Stage {experiment.Stage + 1} has run {Duration(elapsed)} of its min_duration {Duration(minimum)}.");
            return MonitorDecision.None(Notes(notes));
        }

        var last = experiment.Stage == definition.Stages.Length - 1;
        string Ran() => $"stage {experiment.Stage + 1} ran {Duration(elapsed)} (min_duration {Duration(minimum)})";
        if (shadow is not null)
        {
            return ShadowAdvance(experiment, signals, shadow, Ran(), elapsed, notes);
        }

        if (definition.Advance == AdvanceMode.Scheduled)
        {
            return last
                ? MonitorDecision.None([.. Notes(notes), "The last stage ran its course; promotion is left to a person (advance: scheduled)."])
                : new MonitorDecision([new MonitorAction(MonitorActionKind.Advance, null, $"scheduled: {Ran()}", Elapsed(elapsed, experiment))], Notes(notes));
        }

        var candidates = SequentialPromotion.Candidates(experiment, signals, notes);
        if (candidates.Count == 0)
        {
            return MonitorDecision.None(Notes(notes));
        }

        var best = candidates[0];
        var metrics = best.Metrics.Add("stage_elapsed_hours", elapsed.TotalHours).Add("stage", experiment.Stage + 1);
        return last
            ? new MonitorDecision([new MonitorAction(MonitorActionKind.Promote, best.Variant, $"auto: {Ran()} and {best.Reason}.", metrics)], Notes(notes))
            : new MonitorDecision([new MonitorAction(MonitorActionKind.Advance, null, $"auto: {Ran()} and {best.Reason}.", metrics)], Notes(notes));
    }

    // Never a promotion from a shadow stage: nobody was served the shadow variants yet.
    private static MonitorDecision ShadowAdvance(Experiment experiment, RolloutSignals signals, ShadowStage shadow, string ran, TimeSpan elapsed, List<string>? notes)
    {
        var definition = experiment.Definition;
        var live = shadow.Variants.Where(v => !experiment.IsRolledBack(v)).ToList();
        if (live.Count == 0)
        {
            return MonitorDecision.None([.. Notes(notes),
                $"Every shadow variant of stage {experiment.Stage + 1} was rolled back: the experiment holds; fix the variants or stop it."]);
        }

        if (definition.Advance == AdvanceMode.Scheduled)
        {
            return new MonitorDecision([new MonitorAction(MonitorActionKind.Advance, null, $"scheduled: {ran}", Elapsed(elapsed, experiment))], Notes(notes));
        }

        var passed = new List<string>();
        var unmet = new List<string>();
        var metrics = new MetricsBuilder().Add("stage_elapsed_hours", elapsed.TotalHours).Add("stage", experiment.Stage + 1);
        foreach (var name in live)
        {
            var pairs = signals.Paired.PairsOf(name);
            var figures = new List<string>();
            metrics.Add($"pairs_{name}", pairs.Pairs).Add($"error_rate_ratio_{name}", pairs.ErrorRateRatio);
            if (ShadowGate.Passes(pairs, definition, figures, unmet))
            {
                passed.Add($"{name} ({string.Join(", ", figures)})");
            }
        }

        if (unmet.Count > 0)
        {
            notes?.Add($"The shadow stage holds: {string.Join("; ", unmet)}.");
            return MonitorDecision.None(Notes(notes));
        }

        var reason = $"auto: {ran} and every shadow variant passed the paired gate: {string.Join("; ", passed)}.";
        return new MonitorDecision([new MonitorAction(MonitorActionKind.Advance, null, reason, metrics.Build())], Notes(notes));
    }

    private static IReadOnlyList<string> Notes(List<string>? notes) => notes is null ? Array.Empty<string>() : notes;

    private static System.Collections.Immutable.ImmutableSortedDictionary<string, double> Elapsed(TimeSpan elapsed, Experiment experiment) =>
        new MetricsBuilder().Add("stage_elapsed_hours", elapsed.TotalHours).Add("stage", experiment.Stage + 1).Build();

    private static string Duration(TimeSpan duration) => DurationText.Format(duration < TimeSpan.Zero ? TimeSpan.Zero : duration);
}
