using System.Collections.Immutable;
using Rampart.Core.Allocation;
using Rampart.Core.Audit;
using Rampart.Core.Experiments;

namespace Rampart.Core.Rollouts;

/// <summary>
/// The rollout's state machine as pure functions: each command takes an experiment and returns its next version with
/// the audit entry, or throws <see cref="RolloutException"/> saying why it cannot be done.
/// </summary>
public static class Rollout
{
    private static readonly ImmutableSortedDictionary<string, double> NoMetrics =
        ImmutableSortedDictionary<string, double>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>The audit entry of a new experiment.</summary>
    /// <exception cref="ArgumentNullException">when <paramref name="experiment"/> is null.</exception>
    public static AuditEntry Created(Experiment experiment, string who)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        return Entry(experiment, experiment.CreatedAt, who, AuditAction.Create, null,
            $"created with {experiment.Definition.Stages.Length} stage(s); stage 1: {Describe(experiment, experiment.CurrentWeights)}", null);
    }

    /// <summary>Starts a draft, or resumes a paused experiment, serving its current stage.</summary>
    /// <exception cref="ArgumentNullException">when <paramref name="experiment"/> is null.</exception>
    /// <exception cref="RolloutException">when the experiment is neither a draft nor paused.</exception>
    public static RolloutChange Start(Experiment experiment, DateTimeOffset now, string who, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        if (experiment.State is not (ExperimentState.Draft or ExperimentState.Paused))
        {
            throw new RolloutException($"Experiment '{experiment.Key}' is {Name(experiment.State)}; only a draft or paused experiment can be started.");
        }

        var next = experiment with
        {
            State = ExperimentState.Running,
            StageStartedAt = experiment.StageStartedAt ?? now,
            Version = experiment.Version + 1,
        };
        var verb = experiment.State == ExperimentState.Draft ? "started" : "resumed";
        return new(next, Entry(next, now, who, AuditAction.Start, null, reason ?? $"{verb} at stage {experiment.Stage + 1}: {Describe(next, next.CurrentWeights)}", null));
    }

    /// <summary>Pauses a running experiment: everyone gets the control until it is started again.</summary>
    /// <exception cref="ArgumentNullException">when <paramref name="experiment"/> is null.</exception>
    /// <exception cref="RolloutException">when the experiment is not running.</exception>
    public static RolloutChange Pause(Experiment experiment, DateTimeOffset now, string who, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        if (experiment.State != ExperimentState.Running)
        {
            throw new RolloutException($"Experiment '{experiment.Key}' is {Name(experiment.State)}; only a running experiment can be paused.");
        }

        var next = experiment with { State = ExperimentState.Paused, Version = experiment.Version + 1 };
        return new(next, Entry(next, now, who, AuditAction.Pause, null, reason ?? "paused: every unit gets the control", null));
    }

    /// <summary>Moves to the next planned stage; a rolled-back variant's weight goes to the control.</summary>
    /// <exception cref="ArgumentNullException">when <paramref name="experiment"/> is null.</exception>
    /// <exception cref="RolloutException">when the experiment is neither running nor paused, or is at its last stage.</exception>
    public static RolloutChange Advance(Experiment experiment, DateTimeOffset now, string who, string? reason = null, IReadOnlyDictionary<string, double>? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        RequireActive(experiment, "advanced");
        var stages = experiment.Definition.Stages;
        if (experiment.Stage + 1 >= stages.Length)
        {
            throw new RolloutException(
                $"Experiment '{experiment.Key}' is at its last stage ({stages.Length} of {stages.Length}); promote a winner with `rampart rollout promote {experiment.Key} VARIANT`.");
        }

        var stage = experiment.Stage + 1;
        var weights = WithoutRolledBack(experiment, stages[stage].Weights);
        var next = Append(experiment, stage, AllocationKind.Stage, experiment.Current.Table.Transition(weights), now) with { StageStartedAt = now };
        var moved = experiment.Current.Table.BucketsMovedTo(next.Current.Table);
        return new(next, Entry(next, now, who, AuditAction.Advance, null,
            reason ?? $"stage {stage} → {stage + 1}: {Describe(next, weights)}; {Percent(moved)}% of units change variant", metrics));
    }

    /// <summary>Serves weights given by hand; rolled-back variants must get 0.</summary>
    /// <exception cref="ArgumentNullException">when <paramref name="experiment"/> or <paramref name="weights"/> is null.</exception>
    /// <exception cref="RolloutException">when the experiment is neither running nor paused.</exception>
    /// <exception cref="ExperimentValidationException">when a rolled-back variant is given a weight other than 0; the message lists each one.</exception>
    /// <exception cref="ArgumentException">when <paramref name="weights"/> does not give one weight per variant or does not sum to 100%.</exception>
    public static RolloutChange SetStage(Experiment experiment, IReadOnlyList<Weight> weights, DateTimeOffset now, string who, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(weights);
        RequireActive(experiment, "given new weights");
        var names = experiment.Definition.VariantNames;
        var problems = names.Select((name, i) => (name, i))
            .Where(v => experiment.IsRolledBack(v.name) && weights[v.i] != Weight.Zero)
            .Select(v => $"weights.{v.name} must be 0: '{v.name}' was rolled back")
            .ToList();
        if (problems.Count > 0)
        {
            throw new ExperimentValidationException(problems);
        }

        var next = Append(experiment, experiment.Stage, AllocationKind.Custom, experiment.Current.Table.Transition(weights), now);
        var moved = experiment.Current.Table.BucketsMovedTo(next.Current.Table);
        return new(next, Entry(next, now, who, AuditAction.Stage, null,
            reason ?? $"weights set to {Describe(next, weights)}; {Percent(moved)}% of units change variant", null));
    }

    /// <summary>
    /// Changes who is in the experiment (docs/targeting.md): <paramref name="targeting"/>, or every unit when null. Units that
    /// match keep their variant (targeting is checked before the hash); a draft, running or paused experiment may change it.
    /// </summary>
    /// <exception cref="RolloutException">when the experiment is completed.</exception>
    public static RolloutChange SetTargeting(Experiment experiment, Targeting.TargetingRule? targeting, DateTimeOffset now, string who, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        if (experiment.State == ExperimentState.Completed)
        {
            throw new RolloutException($"Experiment '{experiment.Key}' is completed; its targeting can no longer change.");
        }

        var next = experiment with { Definition = experiment.Definition with { Targeting = targeting }, Version = experiment.Version + 1 };
        return new(next, Entry(next, now, who, AuditAction.Target, null, reason ?? (targeting is null
            ? "targeting removed: every unit is in the experiment"
            : $"targeting set to {Targeting.TargetingJson.Text(targeting)}"), null));
    }

    /// <summary>
    /// Shadows <paramref name="shadow"/>'s variants (docs/shadow.md). A draft gets it as its shadow stage (put before its
    /// first stage when it has none, with <paramref name="minDuration"/>); a running or paused experiment at its shadow
    /// stage shadows these variants, at this rate and budget, from now on. Shadowing comes before any user is served a
    /// variant, so an experiment serving its variants cannot go back to it.
    /// </summary>
    /// <exception cref="ExperimentValidationException">when a variant is unknown, the control, listed twice or rolled back, or the rate or cap is out of range; each problem names its field.</exception>
    /// <exception cref="RolloutException">when the experiment is completed or serving its variants.</exception>
    public static RolloutChange SetShadow(Experiment experiment, ShadowStage shadow, DateTimeOffset now, string who, string? reason = null, TimeSpan? minDuration = null)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(shadow);
        var definition = experiment.Definition;
        var problems = new List<string>();
        if (shadow.Variants.IsDefaultOrEmpty)
        {
            problems.Add("variants: name at least one variant to call in shadow");
        }

        foreach (var variant in shadow.Variants.IsDefault ? [] : shadow.Variants)
        {
            problems.AddRange(definition.IndexOf(variant) < 0 ? [$"variants: '{variant}' is not one of the variants ({string.Join(", ", definition.VariantNames)})"]
                : variant == definition.Control ? [$"variants: '{variant}' is the control, which serves every unit in a shadow stage"]
                : experiment.IsRolledBack(variant) ? [$"variants: '{variant}' was rolled back"]
                : shadow.Variants.Count(v => v == variant) > 1 ? [$"variants: '{variant}' is listed twice"]
                : []);
        }

        if (!(shadow.SampleRate is > 0 and <= 1))
        {
            problems.Add("sample_rate must be a number above 0 to 1");
        }

        if (shadow.MaxCostUsdPerDay is { } cap && !(cap is >= 0 and <= ShadowJson.MaxCostUsdPerDay))
        {
            problems.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"max_cost_usd_per_day must be a number from 0 to {ShadowJson.MaxCostUsdPerDay}"));
        }

        if (experiment.State == ExperimentState.Draft && !definition.Stages[0].IsShadow && definition.Stages.Length >= ExperimentDefinitionJson.MaxStages)
        {
            problems.Add($"stages: '{experiment.Key}' lists {definition.Stages.Length} stages, which leaves no room for a shadow stage before them (at most {ExperimentDefinitionJson.MaxStages})");
        }

        if (problems.Count > 0)
        {
            throw new ExperimentValidationException([.. problems.Distinct()]);
        }

        var said = reason ?? string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"shadow {string.Join(", ", shadow.Variants)} on {shadow.SampleRate * 100:0.#}% of the requests{(shadow.MaxCostUsdPerDay is { } c ? $", at most ${c} a day each" : "")}");
        switch (experiment.State)
        {
            case ExperimentState.Draft:
                var stages = definition.Stages[0].IsShadow
                    ? definition.Stages.SetItem(0, definition.Stages[0] with { Shadow = shadow, MinDuration = minDuration ?? definition.Stages[0].MinDuration })
                    : definition.Stages.Insert(0, new StageDefinition(ControlOnly(definition), minDuration) { Shadow = shadow });
                // A new shadow stage serves the control only: the draft's table moves there (an appended allocation, as
                // stores keep the history), and the first serving stage will ramp from it.
                var draft = definition.Stages[0].IsShadow
                    ? experiment with { Definition = definition with { Stages = stages }, Version = experiment.Version + 1 }
                    : Append(experiment, 0, AllocationKind.Stage, experiment.Current.Table.Transition(ControlOnly(definition)), now) with { Definition = definition with { Stages = stages } };
                return new(draft, Entry(draft, now, who, AuditAction.Shadow, null, said, null));
            case ExperimentState.Running or ExperimentState.Paused when experiment.Stage < definition.Stages.Length && definition.Stages[experiment.Stage].IsShadow:
                var current = definition.Stages[experiment.Stage];
                var next = experiment with
                {
                    Definition = definition with { Stages = definition.Stages.SetItem(experiment.Stage, current with { Shadow = shadow, MinDuration = minDuration ?? current.MinDuration }) },
                    Version = experiment.Version + 1,
                };
                return new(next, Entry(next, now, who, AuditAction.Shadow, null, said, null));
            case ExperimentState.Completed:
                throw new RolloutException($"Experiment '{experiment.Key}' is completed; there is nothing left to shadow.");
            default:
                throw new RolloutException(
                    $"Experiment '{experiment.Key}' is serving its variants (stage {experiment.Stage + 1}); a shadow stage comes before any user is served a variant: shadow while it is a draft, or create it with a shadow stage.");
        }
    }

    /// <summary>Rolls a variant back: its buckets go to the control, now and in every later stage.</summary>
    /// <exception cref="ArgumentNullException">when <paramref name="experiment"/> or <paramref name="reason"/> is null.</exception>
    /// <exception cref="ArgumentException">when <paramref name="reason"/> is empty or white space.</exception>
    /// <exception cref="RolloutException">when the experiment is neither running nor paused, or <paramref name="variant"/> is not one of its variants, is its control or was already rolled back.</exception>
    public static RolloutChange Rollback(Experiment experiment, string variant, string reason, DateTimeOffset now, string who, IReadOnlyDictionary<string, double>? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        RequireActive(experiment, "rolled back");
        var index = RequireVariant(experiment, variant);
        if (variant == experiment.Definition.Control)
        {
            throw new RolloutException($"'{variant}' is the control of '{experiment.Key}'; the control cannot be rolled back (pause the experiment instead).");
        }

        if (experiment.IsRolledBack(variant))
        {
            throw new RolloutException($"'{variant}' of '{experiment.Key}' was already rolled back.");
        }

        var weights = experiment.CurrentWeights.ToArray();
        var control = experiment.Definition.ControlIndex;
        weights[control] += weights[index];
        weights[index] = Weight.Zero;
        var table = experiment.Current.Table.Transition(weights, rollbackTo: control);
        var next = Append(experiment, experiment.Stage, AllocationKind.Rollback, table, now) with
        {
            RolledBack = experiment.RolledBack.Add(variant, reason),
        };
        return new(next, Entry(next, now, who, AuditAction.Rollback, variant, reason, metrics));
    }

    /// <summary>Promotes a winner: it takes every bucket and the experiment is completed.</summary>
    /// <exception cref="ArgumentNullException">when <paramref name="experiment"/> is null.</exception>
    /// <exception cref="RolloutException">when the experiment is neither running nor paused, or <paramref name="variant"/> is not one of its variants or was rolled back.</exception>
    public static RolloutChange Promote(Experiment experiment, string variant, DateTimeOffset now, string who, string? reason = null, IReadOnlyDictionary<string, double>? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        RequireActive(experiment, "promoted");
        var index = RequireVariant(experiment, variant);
        if (experiment.IsRolledBack(variant))
        {
            throw new RolloutException($"'{variant}' of '{experiment.Key}' was rolled back and cannot be promoted.");
        }

        var weights = new Weight[experiment.Definition.Variants.Length];
        weights[index] = Weight.All;
        var stage = experiment.Definition.Stages.Length;
        var next = Append(experiment, stage, AllocationKind.Promotion, experiment.Current.Table.Transition(weights), now) with
        {
            State = ExperimentState.Completed,
            Winner = variant,
            StageStartedAt = now,
        };
        return new(next, Entry(next, now, who, AuditAction.Promote, variant, reason ?? $"'{variant}' promoted: it takes 100% of traffic", metrics));
    }

    // The planned weights with every rolled-back variant's weight given to the control.
    private static ImmutableArray<Weight> WithoutRolledBack(Experiment experiment, IReadOnlyList<Weight> planned)
    {
        var weights = planned.ToArray();
        var control = experiment.Definition.ControlIndex;
        for (var i = 0; i < weights.Length; i++)
        {
            if (experiment.IsRolledBack(experiment.Definition.Variants[i].Name))
            {
                weights[control] += weights[i];
                weights[i] = Weight.Zero;
            }
        }

        return [.. weights];
    }

    private static Experiment Append(Experiment experiment, int stage, AllocationKind kind, AllocationTable table, DateTimeOffset now) =>
        experiment with
        {
            Allocations = experiment.Allocations.Add(new StageAllocation(experiment.Allocations.Length, stage, kind, table, now)),
            Version = experiment.Version + 1,
        };

    private static void RequireActive(Experiment experiment, string verb)
    {
        if (experiment.State is not (ExperimentState.Running or ExperimentState.Paused))
        {
            var hint = experiment.State == ExperimentState.Draft ? $"; start it first with `rampart rollout start {experiment.Key}`" : "";
            throw new RolloutException($"Experiment '{experiment.Key}' is {Name(experiment.State)} and cannot be {verb}{hint}.");
        }
    }

    private static int RequireVariant(Experiment experiment, string variant)
    {
        var index = experiment.Definition.IndexOf(variant);
        return index >= 0
            ? index
            : throw new RolloutException($"'{variant}' is not a variant of '{experiment.Key}'; its variants are {string.Join(", ", experiment.Definition.VariantNames)}.");
    }

    private static AuditEntry Entry(Experiment experiment, DateTimeOffset now, string who, AuditAction action, string? variant, string reason, IReadOnlyDictionary<string, double>? metrics) =>
        new(experiment.Key, now, who, action, variant, reason, metrics is null ? NoMetrics : NoMetrics.AddRange(metrics));

    private static System.Collections.Immutable.ImmutableArray<Weight> ControlOnly(ExperimentDefinition definition) =>
        [.. definition.Variants.Select(v => v.Name == definition.Control ? Weight.All : Weight.Zero)];

    private static string Describe(Experiment experiment, IEnumerable<Weight> weights) =>
        StageWeights.Format(experiment.Definition.VariantNames, weights);

    private static string Percent(int buckets) => new Weight(buckets).ToString();

    private static string Name(ExperimentState state) => state.ToString().ToLowerInvariant();
}
