using Rampart.Core.Experiments;
using Rampart.Analysis.Monitoring;
using Rampart.Core.Rollouts;

namespace Rampart.Analysis;

/// <summary>What an analysis compares and the thresholds its recommendation applies; the defaults are the experiment format's (docs/experiment-format.md).</summary>
public sealed record AnalysisOptions
{
    /// <summary>The control variant.</summary>
    /// <value>Default: control.</value>
    public string Control { get; init; } = "control";

    /// <summary>The score that decides promotion.</summary>
    /// <value>Default: user_satisfaction.</value>
    public string PrimaryScore { get; init; } = ExperimentDefinition.DefaultPrimaryScore;

    /// <summary>
    /// The variants in listed order, reported even without events; null to take the variants with events in the order
    /// first seen. Events of a variant not listed are an error.
    /// </summary>
    public IReadOnlyList<string>? Variants { get; init; }

    /// <summary>Expected weights in percent, one per entry of <see cref="Variants"/>, for the sample-ratio test; null for equal weights.</summary>
    public IReadOnlyList<double>? Weights { get; init; }

    /// <summary>Promotion criteria.</summary>
    public PromotionOptions Promotion { get; init; } = new();

    /// <summary>Rollback criteria.</summary>
    public GuardrailOptions Guardrails { get; init; } = new();

    /// <summary>The experiment's judges: each judge's score is compared against the control and reported in the <c>judges</c> block.</summary>
    public IReadOnlyList<JudgeDefinition> Judges { get; init; } = [];

    /// <summary>Variants already rolled back: reported, but neither rolled back again nor promoted.</summary>
    public IReadOnlySet<string> RolledBack { get; init; } = new HashSet<string>();

    /// <summary>The variant already promoted (the experiment is completed); null while there is none.</summary>
    public string? Winner { get; init; }

    /// <summary>When the winner was promoted; null while there is none (or it is unknown).</summary>
    public DateTimeOffset? PromotedAt { get; init; }

    /// <summary>
    /// True while the experiment can still be looked at again (it runs, is paused or not started): promotion then rests on the
    /// always-valid <c>p_value_sequential_holm</c>, as the monitor's does, so looking every day does not inflate false
    /// promotions. False for a finished analysis read once (an exported file): promotion rests on <c>p_value_clustered_holm</c>.
    /// </summary>
    /// <value>Default: false.</value>
    public bool Sequential { get; init; }

    /// <summary>
    /// The stages the experiment served, for the sample-ratio test per stage; null or empty to test the whole history against
    /// <see cref="Weights"/>. Used only when the events carry their stage.
    /// </summary>
    public IReadOnlyList<StagePlan>? Stages { get; init; }

    /// <summary>
    /// The options of a stored experiment: its control, primary score, variants, thresholds, rolled-back variants, winner, and its
    /// weights of every stage it served for the sample-ratio test per stage, and whether it still runs (see <see cref="Sequential"/>).
    /// </summary>
    public static AnalysisOptions For(Experiment experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        var definition = experiment.Definition;
        return new AnalysisOptions
        {
            Control = definition.Control,
            PrimaryScore = definition.PrimaryScore,
            Variants = definition.VariantNames,
            Weights = [.. experiment.CurrentWeights.Select(w => (double)w.Percent)],
            Promotion = definition.Promotion,
            Guardrails = definition.Guardrails,
            Judges = definition.Judges,
            RolledBack = experiment.RolledBack.Keys.ToHashSet(StringComparer.Ordinal),
            Winner = experiment.Winner,
            PromotedAt = experiment.Winner is null ? null : experiment.Allocations.LastOrDefault(a => a.Kind == AllocationKind.Promotion)?.At,
            Sequential = experiment.State != ExperimentState.Completed,
            Stages = [.. experiment.Allocations.Select(a => a.Stage).Where(s => s < definition.Stages.Length).Distinct().Select(stage => Plan(experiment, stage))],
        };
    }

    // The weights of the variants StageSampleRatio (the monitor's check) would compare at that planned stage (the winner's stage,
    // where one variant serves everyone, has no split to test).
    private static StagePlan Plan(Experiment experiment, int stage)
    {
        var counts = experiment.Allocations.Last(a => a.Stage == stage).Table.Counts;
        double total = counts.Sum();
        var names = experiment.Definition.VariantNames;
        return new StagePlan(stage, StageSampleRatio.SteadyVariants(experiment, stage)
            .ToDictionary(i => names[i], i => counts[i] * 100 / total, StringComparer.Ordinal));
    }
}
