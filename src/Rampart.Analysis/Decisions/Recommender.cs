using System.Globalization;
using Rampart.Analysis.Aggregation;
using Rampart.Analysis.Results;

namespace Rampart.Analysis.Decisions;

/// <summary>
/// The single most urgent action: roll back a variant whose guardrail is breached, else promote the variant with the highest
/// primary score among those meeting every promotion criterion, else continue. <see cref="Recommendation.Reasons"/> holds the
/// headline and the two or three reasons that decide it; everything else goes to <see cref="Recommendation.Details"/>. A
/// completed experiment leads with its outcome, so what the figures alone would recommend is not read as still to be done.
/// </summary>
internal static class Recommender
{
    /// <summary>Reasons after the headline.</summary>
    private const int DecidingReasons = 2;

    public static Recommendation Decide(
        VariantSnapshot control, IReadOnlyList<VariantSnapshot> variants, IReadOnlyList<MetricComparison> primary,
        SrmResult srm, AnalysisOptions options, IReadOnlyList<string> missing, ExperimentAggregate aggregate)
    {
        var decided = FromFigures(control, variants, primary, srm, options, missing, aggregate);
        if (options.Winner is not { } winner)
        {
            return decided;
        }

        var outcome = options.PromotedAt is { } at
            ? $"Completed: {winner} promoted on {at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}."
            : $"Completed: {winner} promoted.";
        var verb = decided.Action switch
        {
            RecommendedAction.Rollback => "roll back",
            RecommendedAction.Promote => "promote",
            _ => "continue",
        };
        return decided with
        {
            Reasons = [outcome, $"{winner} serves every unit; the figures describe the variants until then."],
            Details = [$"The figures alone would {verb}{(decided.Variant is { } v ? " " + v : "")}:", .. decided.Reasons, .. decided.Details ?? []],
            Outcome = outcome,
        };
    }

    private static Recommendation FromFigures(
        VariantSnapshot control, IReadOnlyList<VariantSnapshot> variants, IReadOnlyList<MetricComparison> primary,
        SrmResult srm, AnalysisOptions options, IReadOnlyList<string> missing, ExperimentAggregate aggregate)
    {
        var notes = new List<string>();
        var rollbacks = new List<(string Variant, List<string> Breaches)>();
        var promotable = new List<(VariantSnapshot Variant, List<string> Met)>();
        var pending = new List<string>();
        var deciding = new List<(VariantSnapshot Variant, List<string> Unmet)>();
        var live = new List<VariantSnapshot>();
        for (var i = 0; i < variants.Count; i++)
        {
            var variant = variants[i];
            if (options.RolledBack.Contains(variant.Name))
            {
                notes.Add($"{variant.Name} is rolled back: it is neither checked against the guardrails nor considered for promotion.");
                continue;
            }

            live.Add(variant);
            var breaches = GuardrailCheck.Breaches(variant, control, options.Guardrails, notes);
            if (breaches.Count > 0)
            {
                rollbacks.Add((variant.Name, breaches));
            }

            var met = new List<string>();
            var unmet = new List<string>();
            if (PromotionCheck.Passes(variant, control, primary[i], options.PrimaryScore, srm, options.Promotion, options.Sequential, met, pending, unmet))
            {
                promotable.Add((variant, met));
            }
            else
            {
                deciding.Add((variant, unmet));
            }
        }

        if (rollbacks.Count > 0)
        {
            var breaches = rollbacks.SelectMany(r => r.Breaches.Select(b => $"Roll back {r.Variant}: {b}")).ToList();
            return new Recommendation(
                RecommendedAction.Rollback, rollbacks[0].Variant, [.. breaches.Take(DecidingReasons + 1)], [.. breaches.Skip(DecidingReasons + 1), .. notes, .. missing]);
        }

        var score = options.PrimaryScore;
        if (promotable.Count > 0)
        {
            var winner = promotable.OrderByDescending(p => p.Variant.Score(score).Values.Mean).First();
            var others = promotable.Where(p => p.Variant != winner.Variant).Select(p =>
                $"{p.Variant.Name} also qualifies, with a lower {score} ({Numbers.Value(p.Variant.Score(score).Values.Mean)}).");
            return new Recommendation(
                RecommendedAction.Promote,
                winner.Variant.Name,
                [$"Promote {winner.Variant.Name}: it meets every promotion criterion.", .. winner.Met.Take(DecidingReasons)],
                [.. winner.Met.Skip(DecidingReasons), .. others, .. notes, .. missing]);
        }

        var summary = variants.Count == 0 ? "Continue: there is no variant besides the control." : "Continue: no variant meets every promotion criterion yet, and no guardrail is breached.";
        var reasons = new List<string> { summary };
        if (Progress(live, options, aggregate) is { } progress)
        {
            reasons.Add(progress);
        }

        // The leading variant's (highest primary score first) unmet criteria that rest on figures: what stands between it and promotion.
        reasons.AddRange(deciding
            .OrderByDescending(d => d.Variant.Score(score).Values.Mean ?? double.NegativeInfinity)
            .SelectMany(d => d.Unmet)
            .Distinct(StringComparer.Ordinal)
            .Take(DecidingReasons));
        return new Recommendation(RecommendedAction.Continue, null, reasons, [.. pending, .. notes, .. missing]);
    }

    /// <summary>
    /// "Not enough data yet" while the smallest variant still in the running (not the control) has fewer units than promotion
    /// needs, with the days to go at the average rate its units arrived so far; null once every such variant has enough.
    /// </summary>
    private static string? Progress(List<VariantSnapshot> live, AnalysisOptions options, ExperimentAggregate aggregate)
    {
        if (live.Count == 0)
        {
            return null;
        }

        var smallest = live.MinBy(v => v.Units)!;
        var needed = options.Promotion.MinUnits;
        if (smallest.Units >= needed)
        {
            return null;
        }

        var text = $"Not enough data yet: {Numbers.Count(smallest.Units)} of {Numbers.Count(needed)} units in {smallest.Name}, the variant with the fewest";
        if (aggregate.FirstEventAt is { } first && aggregate.LastEventAt is { } last && last > first && smallest.Units > 0)
        {
            var perDay = smallest.Units / (last - first).TotalDays;
            var days = (needed - smallest.Units) / perDay;
            text += days < 1 ? ", less than a day at the traffic so far" : $", about {Numbers.Count((long)Math.Ceiling(days))} days at the traffic so far";
        }

        return text + ".";
    }
}
