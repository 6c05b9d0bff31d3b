using Rampart.Analysis.Decisions;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;

namespace Rampart.Analysis.Monitoring;

/// <summary>
/// What the monitor should do now about one experiment (docs/statistics.md), as a pure function of the experiment, its signals and
/// the time: roll back every variant whose guardrail is established as breached (and then nothing else); otherwise hold
/// and alert on a sample-ratio mismatch in the current stage; otherwise advance (<c>scheduled</c>: the stage's
/// <c>min_duration</c> elapsed; <c>auto</c>: elapsed and a variant meets the promotion criteria) or, after the last stage in
/// <c>auto</c> mode, promote the best variant meeting every criterion. <c>manual</c> experiments are only guarded.
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

        if (rollbacks is not null)
        {
            return new MonitorDecision(rollbacks, Notes(notes));
        }

        if (definition.Advance == AdvanceMode.Manual || experiment.Stage >= definition.Stages.Length)
        {
            return MonitorDecision.None(Notes(notes));
        }

        if (StageSampleRatio.Mismatch(experiment, signals, notes) is { } srm)
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

    private static IReadOnlyList<string> Notes(List<string>? notes) => notes is null ? Array.Empty<string>() : notes;

    private static System.Collections.Immutable.ImmutableSortedDictionary<string, double> Elapsed(TimeSpan elapsed, Experiment experiment) =>
        new MetricsBuilder().Add("stage_elapsed_hours", elapsed.TotalHours).Add("stage", experiment.Stage + 1).Build();

    private static string Duration(TimeSpan duration) => DurationText.Format(duration < TimeSpan.Zero ? TimeSpan.Zero : duration);
}
