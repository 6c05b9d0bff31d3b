namespace Rampart.Core.Experiments;

/// <summary>
/// An LLM judge of an experiment (docs/experiment-format.md, docs/judges.md): a sampled share of the successful completions is
/// sent, off the request path, to <see cref="Model"/> of <see cref="Provider"/> with <see cref="Rubric"/>; its verdict on
/// <see cref="ScaleMin"/>–<see cref="ScaleMax"/> is stored as feedback <see cref="ScoreName"/>, normalised to 0–1.
/// </summary>
/// <param name="Name">The judge's name, <c>[a-z0-9_]{1,48}</c>; its score is <c>judge_</c> + name.</param>
/// <param name="Provider">The provider that runs the judge model (<c>sim</c>: the simulated judge, no network).</param>
/// <param name="Model">The judge model.</param>
/// <param name="Rubric">What the judge rates, in words; null for the built-in rubric (helpfulness and correctness).</param>
/// <param name="ScaleMin">The lowest rating the judge may give. Default: 1.</param>
/// <param name="ScaleMax">The highest rating the judge may give. Default: 5.</param>
/// <param name="SampleRate">The share of successful completions judged, in (0, 1]. Default: 0.1.</param>
/// <param name="MaxCostUsdPerDay">The judge's spend per UTC day after which it stops judging until the next day; null for no cap.</param>
public sealed record JudgeDefinition(
    string Name,
    string Provider,
    string Model,
    string? Rubric = null,
    double ScaleMin = 1,
    double ScaleMax = 5,
    double SampleRate = JudgeDefinition.DefaultSampleRate,
    double? MaxCostUsdPerDay = null)
{
    /// <summary>The prefix of every judge's score name.</summary>
    public const string ScorePrefix = "judge_";

    /// <summary>The <c>source</c> of a judge's feedback events.</summary>
    public const string Source = "judge";

    /// <summary>
    /// The score of the judge's pairwise preference between a shadow answer and the served one (docs/shadow.md):
    /// <c>judge_&lt;name&gt;_preference</c>, 1 when the shadow answer is better, 0 when the served one is, 0.5 for a tie.
    /// </summary>
    public string PreferenceScoreName => ScoreName + PreferenceSuffix;

    /// <summary>What ends a preference score's name; no judge's name may end so.</summary>
    public const string PreferenceSuffix = "_preference";

    /// <summary>The default <see cref="SampleRate"/>.</summary>
    public const double DefaultSampleRate = 0.1;

    /// <summary>The score the judge's verdicts are stored under, e.g. <c>judge_helpfulness</c>.</summary>
    public string ScoreName => ScorePrefix + Name;

    /// <summary>
    /// <paramref name="rating"/> on the judge's scale mapped to 0–1 (<see cref="ScaleMin"/> → 0, <see cref="ScaleMax"/> → 1),
    /// clamped to that range; null when <paramref name="rating"/> is not a finite number.
    /// </summary>
    public double? Normalise(double rating) =>
        double.IsFinite(rating) ? Math.Clamp((rating - ScaleMin) / (ScaleMax - ScaleMin), 0, 1) : null;
}
