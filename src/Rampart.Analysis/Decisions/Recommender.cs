using Rampart.Analysis.Results;

namespace Rampart.Analysis.Decisions;

/// <summary>
/// The single most urgent action (DESIGN §4, decisions): roll back a variant whose guardrail is breached, else promote the
/// variant with the highest primary score among those meeting every promotion criterion, else continue. For a completed
/// experiment the first reason says which variant was promoted, so the action is not read as still to be done.
/// </summary>
internal static class Recommender
{
    public static Recommendation Decide(
        VariantSnapshot control, IReadOnlyList<VariantSnapshot> variants, IReadOnlyList<MetricComparison> primary,
        SrmResult srm, AnalysisOptions options, IReadOnlyList<string> missing)
    {
        var decided = FromFigures(control, variants, primary, srm, options, missing);
        return options.Winner is { } winner
            ? decided with
            {
                Reasons = [$"The experiment is completed: {winner} was promoted and serves every unit. What follows is what the figures alone would recommend.", .. decided.Reasons],
            }
            : decided;
    }

    private static Recommendation FromFigures(
        VariantSnapshot control, IReadOnlyList<VariantSnapshot> variants, IReadOnlyList<MetricComparison> primary,
        SrmResult srm, AnalysisOptions options, IReadOnlyList<string> missing)
    {
        var notes = new List<string>();
        var rollbacks = new List<(string Variant, List<string> Breaches)>();
        var promotable = new List<(VariantSnapshot Variant, List<string> Met)>();
        var pending = new List<string>();
        for (var i = 0; i < variants.Count; i++)
        {
            var variant = variants[i];
            if (options.RolledBack.Contains(variant.Name))
            {
                notes.Add($"{variant.Name} is rolled back: it is neither checked against the guardrails nor considered for promotion.");
                continue;
            }

            var breaches = GuardrailCheck.Breaches(variant, control, options.Guardrails, notes);
            if (breaches.Count > 0)
            {
                rollbacks.Add((variant.Name, breaches));
            }

            var met = new List<string>();
            if (PromotionCheck.Passes(variant, control, primary[i], options.PrimaryScore, srm, options.Promotion, met, pending))
            {
                promotable.Add((variant, met));
            }
        }

        if (rollbacks.Count > 0)
        {
            var reasons = rollbacks.SelectMany(r => r.Breaches.Select(b => $"Roll back {r.Variant}: {b}")).ToList();
            return new Recommendation(RecommendedAction.Rollback, rollbacks[0].Variant, [.. reasons, .. notes, .. missing]);
        }

        if (promotable.Count > 0)
        {
            var score = options.PrimaryScore;
            var winner = promotable.OrderByDescending(p => p.Variant.Score(score).Values.Mean).First();
            var reasons = new List<string> { $"Promote {winner.Variant.Name}: it meets every promotion criterion." };
            reasons.AddRange(winner.Met);
            reasons.AddRange(promotable.Where(p => p.Variant != winner.Variant).Select(p =>
                $"{p.Variant.Name} also qualifies, with a lower {score} ({Numbers.Value(p.Variant.Score(score).Values.Mean)})."));
            return new Recommendation(RecommendedAction.Promote, winner.Variant.Name, [.. reasons, .. notes, .. missing]);
        }

        var summary = variants.Count == 0 ? "Continue: there is no variant besides the control." : "Continue: no variant meets every promotion criterion yet, and no guardrail is breached.";
        return new Recommendation(RecommendedAction.Continue, null, [summary, .. pending, .. notes, .. missing]);
    }
}
