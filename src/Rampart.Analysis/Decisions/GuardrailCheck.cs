using Rampart.Core.Experiments;
using Rampart.Stats.Sequential;

namespace Rampart.Analysis.Decisions;

/// <summary>
/// The rollback guardrails (docs/rollouts.md), each "a proportion exceeds a threshold" established by an always-valid one-sided
/// confidence sequence at α = 0.05 once a variant has <see cref="GuardrailOptions.MinRequests"/> requests: the share of failed
/// requests above <see cref="GuardrailOptions.MaxErrorRate"/>, and the share of successful requests slower than
/// <see cref="GuardrailOptions.MaxP95LatencyRatio"/> × the control's p95 above 5%; and each <see cref="GuardrailOptions.MinScore"/>
/// floor, by the monitor's <see cref="ScoreFloorTest"/> (a score established more than max_drop below the control's).
/// </summary>
internal static class GuardrailCheck
{
    /// <summary>The error probability of each guardrail test over all the monitor's checks.</summary>
    public const double Alpha = 0.05;

    /// <summary>"p95 above x" means "more than 5% of requests slower than x".</summary>
    public const double SlowShare = 0.05;

    /// <summary>The breached guardrails of <paramref name="variant"/>, as sentences; empty when none is breached.</summary>
    public static List<string> Breaches(VariantSnapshot variant, VariantSnapshot control, GuardrailOptions options, List<string> notes)
    {
        var breaches = new List<string>();
        if (variant.Requests < options.MinRequests)
        {
            notes.Add($"{variant.Name} has {Numbers.Count(variant.Requests)} requests; guardrails act from {Numbers.Count(options.MinRequests)}.");
            return breaches;
        }

        if (options.MaxErrorRate is > 0 and < 1)
        {
            var check = BernoulliConfidenceSequence.Check(variant.Errors, variant.Requests, options.MaxErrorRate, Alpha);
            if (check.Exceeds)
            {
                breaches.Add(
                    $"{variant.Name}'s error rate {Numbers.Percent(variant.ErrorRate)} ({Numbers.Count(variant.Errors)} of {Numbers.Count(variant.Requests)} requests) " +
                    $"is established above the {Numbers.Percent(options.MaxErrorRate)} guardrail by an always-valid test " +
                    $"(excess {Numbers.Plain(check.Statistic)} failures ≥ boundary {Numbers.Plain(check.Boundary)}).");
            }
        }

        foreach (var (score, floor) in options.MinScore)
        {
            var test = ScoreFloorTest.Compare(control.Score(score).PerUnit, variant.Score(score).PerUnit, floor.MaxDrop);
            if (test.EstablishedBelow(floor.MaxDrop))
            {
                breaches.Add(Monitoring.ScoreGuardrail.Breached(variant.Name, score, floor, test));
            }
        }

        if (control.P95 is not { } controlP95)
        {
            notes.Add($"The latency guardrail for {variant.Name} needs the control's p95, which has no successful completions.");
            return breaches;
        }

        var threshold = options.MaxP95LatencyRatio * controlP95;
        var successes = variant.Latency.Count;
        var slow = variant.CountSlowerThan(threshold);
        var latencyCheck = BernoulliConfidenceSequence.Check(slow, successes, SlowShare, Alpha);
        if (latencyCheck.Exceeds)
        {
            breaches.Add(
                $"{Numbers.Percent((double)slow / successes)} of {variant.Name}'s successful requests ({Numbers.Count(slow)} of {Numbers.Count(successes)}) " +
                $"are slower than {Numbers.Plain(options.MaxP95LatencyRatio)} × the control's p95 ({Numbers.Ms(controlP95)}) = {Numbers.Ms(threshold)}, " +
                $"established above {Numbers.Percent(SlowShare)} by an always-valid test (p95 {Numbers.Ms(variant.P95)}; " +
                $"excess {Numbers.Plain(latencyCheck.Statistic)} ≥ boundary {Numbers.Plain(latencyCheck.Boundary)}).");
        }

        return breaches;
    }
}
