namespace Rampart.Analysis.Results;

/// <summary>
/// The results document (docs/statistics.md): what the results API returns, <c>rampart analyze --format json</c> prints and the
/// dashboard and monitor read. A value that cannot be computed is null, and <see cref="Recommendation"/> says why.
/// </summary>
/// <param name="Experiment">The experiment's key.</param>
/// <param name="Control">The control variant's name.</param>
/// <param name="Srm">The sample-ratio mismatch check.</param>
/// <param name="Variants">Every variant, the control first, then in listed order.</param>
/// <param name="Recommendation">The single most urgent action and the reasons for it.</param>
/// <param name="Judges">The experiment's judges (docs/api.md); null, and left out of the JSON, when it has neither judges nor judge feedback.</param>
/// <param name="Shadow">The shadow stage's paired comparisons (docs/shadow.md); null, and left out of the JSON, without shadow events.</param>
public sealed record ResultsDocument(
    string Experiment,
    string Control,
    SrmResult Srm,
    IReadOnlyList<VariantResult> Variants,
    Recommendation Recommendation,
    IReadOnlyList<JudgeResult>? Judges = null,
    ShadowResult? Shadow = null)
{
    /// <summary>Scores with feedback left out of every variant's <c>scores</c> (beyond <see cref="ExperimentAnalyzer.MaxListedScores"/>).</summary>
    public int UnlistedScores { get; init; }

    /// <summary>Scores with judge feedback left out of <see cref="Judges"/> (beyond <see cref="ExperimentAnalyzer.MaxListedJudgeScores"/>).</summary>
    public int UnlistedJudgeScores { get; init; }
}
