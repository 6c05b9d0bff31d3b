using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;

namespace Rampart.Analysis;

/// <summary>What an analysis compares and the thresholds its recommendation applies; the defaults are DESIGN §2's.</summary>
public sealed record AnalysisOptions
{
    /// <summary>The control variant. <value>control</value></summary>
    public string Control { get; init; } = "control";

    /// <summary>The score that decides promotion. <value>user_satisfaction</value></summary>
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

    /// <summary>Variants already rolled back: reported, but neither rolled back again nor promoted.</summary>
    public IReadOnlySet<string> RolledBack { get; init; } = new HashSet<string>();

    /// <summary>The variant already promoted (the experiment is completed); null while there is none.</summary>
    public string? Winner { get; init; }

    /// <summary>
    /// The options of a stored experiment: its control, primary score, variants, thresholds, rolled-back variants, winner, and its
    /// current weights for the sample-ratio test (after a ramp the units reflect several stages' weights; see docs/statistics.md).
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
            RolledBack = experiment.RolledBack.Keys.ToHashSet(StringComparer.Ordinal),
            Winner = experiment.Winner,
        };
    }
}
