using Rampart.Analysis.Decisions;
using Rampart.Analysis.Shadow;
using Rampart.Core.Experiments;
using Rampart.Stats.Paired;

namespace Rampart.Analysis.Monitoring;

/// <summary>
/// The shadow stage's checks (docs/shadow.md, The gate; decision 0014): a shadow variant whose shadow calls breach a guardrail
/// is rolled back before it serves anyone, and the stage advances in <c>auto</c> mode only when every remaining shadow variant
/// has <c>guardrails.min_requests</c> pairs and passes the paired gate: McNemar's one-sided p (shadow worse) ≥
/// <c>promotion.alpha</c>, the paired error-rate ratio ≤ <c>promotion.max_error_rate_ratio</c>, the p95 ratio ≤
/// <c>promotion.max_p95_latency_ratio</c> and, for each <c>min_score</c> score, the paired difference's lower 95% bound
/// above −max_drop.
/// </summary>
public static class ShadowGate
{
    /// <summary>
    /// The rollback due for shadow variant <paramref name="variant"/>: the split guardrails (<see cref="GuardrailEvaluator"/>,
    /// <see cref="ScoreGuardrail"/>) on its shadow signals against the control's, the reason marked "shadow:".
    /// </summary>
    public static MonitorAction? Breach(string variant, RolloutSignals signals, ExperimentDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(signals);
        ArgumentNullException.ThrowIfNull(definition);
        if (signals.FindShadow(variant) is not { } shadow)
        {
            return null;
        }

        var control = signals.Find(definition.Control);
        if ((GuardrailEvaluator.Breach(shadow, control, definition.Guardrails, signals.Tuning)
            ?? ScoreGuardrail.Breach(shadow, control, definition.Guardrails)) is not { } breach)
        {
            return null;
        }

        var reason = $"shadow: {breach.Reason} Caught in the shadow stage, before {variant} served anyone.";
        return breach with { Reason = reason, Metrics = breach.Metrics.Add("shadow", 1) };
    }

    /// <summary>
    /// Whether <paramref name="pairs"/> passes the paired gate; the figures go to <paramref name="figures"/> (for the advance
    /// reason) and what it misses to <paramref name="unmet"/>.
    /// </summary>
    public static bool Passes(ShadowPairs pairs, ExperimentDefinition definition, List<string> figures, List<string> unmet)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(figures);
        ArgumentNullException.ThrowIfNull(unmet);
        var promotion = definition.Promotion;
        var name = pairs.Variant;
        var start = unmet.Count;
        if (pairs.Pairs < definition.Guardrails.MinRequests)
        {
            unmet.Add($"{name} has {Numbers.Count(pairs.Pairs)} of the {Numbers.Count(definition.Guardrails.MinRequests)} pairs it needs (guardrails.min_requests)");
            return false;
        }

        var mcnemar = McNemarTest.Compare(pairs.ShadowOnlyFailed, pairs.ControlOnlyFailed, pairs.BothFailed, pairs.BothOk);
        var worse = mcnemar.PValueShadowWorse ?? 1;   // no discordant pair: nothing says the shadow fails more often
        figures.Add($"{Numbers.Count(pairs.Pairs)} pairs");
        figures.Add($"McNemar b {Numbers.Count(pairs.ShadowOnlyFailed)}, c {Numbers.Count(pairs.ControlOnlyFailed)}, one-sided p {Numbers.P(worse)}");
        if (worse < promotion.Alpha)
        {
            unmet.Add($"{name} fails more often than the control on the same requests (McNemar one-sided p {Numbers.P(worse)} < alpha {Numbers.Value(promotion.Alpha)})");
        }

        figures.Add($"error rate ratio {Numbers.Value(pairs.ErrorRateRatio)}");
        if (!(pairs.ErrorRateRatio <= promotion.MaxErrorRateRatio))
        {
            unmet.Add($"{name}'s paired error rate {Numbers.Percent(pairs.ShadowErrorRate)} is {(pairs.ErrorRateRatio is { } r ? Numbers.Value(r) + " ×" : "unboundedly above")} " +
                $"the control's {Numbers.Percent(pairs.ControlErrorRate)}, above max_error_rate_ratio {Numbers.Value(promotion.MaxErrorRateRatio)}");
        }

        var p95 = pairs.ControlLatency.Count == 0 ? null : PairedRatioQuantiles.Of([.. pairs.ControlLatency], [.. pairs.ShadowLatency]).P95Ratio;
        figures.Add($"p95 ratio {Numbers.Value(p95)}");
        if (!(p95 <= promotion.MaxP95LatencyRatio))
        {
            unmet.Add(p95 is null
                ? $"{name} has no pair where both calls succeeded, so its p95 ratio is unknown"
                : $"{name}'s p95 latency is {Numbers.Value(p95)} × the control's on the same requests, above max_p95_latency_ratio {Numbers.Value(promotion.MaxP95LatencyRatio)}");
        }

        foreach (var (score, maxDrop) in Floors(definition))
        {
            var test = pairs.Scores.TryGetValue(score, out var s) ? PairedTTest.Compare([.. s.Control], [.. s.Shadow]) : null;
            var lower = test?.Interval?.Lower;
            figures.Add($"{score} difference {Numbers.Value(test?.MeanDifference)} (lower bound {Numbers.Value(lower)}, {Numbers.Count(test?.Pairs ?? 0)} pairs)");
            if (!(lower > -maxDrop))
            {
                unmet.Add(lower is null
                    ? $"{name} has {Numbers.Count(test?.Pairs ?? 0)} pairs judged on both answers for {score}{(test?.Reason is { } why ? $" ({why})" : "")}, too few for its interval"
                    : $"{name}'s {score} paired difference has lower 95% bound {Numbers.Value(lower)}, not above -max_drop {Numbers.Value(-maxDrop)}");
            }
        }

        return unmet.Count == start;
    }

    // Each min_score score, promotion's or guardrails', with the tighter max_drop when both list it.
    private static SortedDictionary<string, double> Floors(ExperimentDefinition definition)
    {
        var floors = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (score, floor) in definition.Promotion.MinScore.Concat(definition.Guardrails.MinScore))
        {
            floors[score] = floors.TryGetValue(score, out var kept) ? Math.Min(kept, floor.MaxDrop) : floor.MaxDrop;
        }

        return floors;
    }
}
