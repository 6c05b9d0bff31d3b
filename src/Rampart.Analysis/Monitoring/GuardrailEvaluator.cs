using System.Globalization;
using Rampart.Analysis.Decisions;
using Rampart.Core.Experiments;
using Rampart.Stats.Sequential;

namespace Rampart.Analysis.Monitoring;

/// <summary>
/// The rollback guardrails (docs/rollouts.md) on the monitor's counts: the share of failed requests above
/// <see cref="GuardrailOptions.MaxErrorRate"/>, and the share of successful requests slower than
/// <see cref="GuardrailOptions.MaxP95LatencyRatio"/> × the control's p95 above 5%, each established by the one-sided
/// normal-mixture confidence sequence over the whole history (α/2) or over a restarted segment (its share of the other α/2),
/// once the segment has <see cref="GuardrailOptions.MinRequests"/> requests.
/// </summary>
public static class GuardrailEvaluator
{
    /// <summary>The rollback due for <paramref name="variant"/>, or null when no guardrail is established as breached.</summary>
    public static MonitorAction? Breach(VariantSignals variant, VariantSignals? control, GuardrailOptions options, GuardrailTuning tuning)
    {
        ArgumentNullException.ThrowIfNull(variant);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tuning);
        var counter = variant.Guardrails;
        for (var i = -1; i < counter.Restarts.Count; i++)
        {
            var segment = i < 0 ? counter.Whole : counter.Restarts[i];
            if (segment.Requests >= options.MinRequests && ErrorBreach(variant.Name, segment, options, tuning) is { } error)
            {
                return error;
            }
        }

        if (control?.P95 is not { } controlP95 || options.MaxP95LatencyRatio <= 0)
        {
            return null;
        }

        var threshold = options.MaxP95LatencyRatio * controlP95;
        for (var i = -1; i < counter.Restarts.Count; i++)
        {
            var segment = i < 0 ? counter.Whole : counter.Restarts[i];
            if (segment.Requests >= options.MinRequests && segment.Successes > 0
                && LatencyBreach(variant.Name, segment, threshold, controlP95, options, tuning) is { } latency)
            {
                return latency;
            }
        }

        return null;
    }

    private static MonitorAction? ErrorBreach(string name, GuardrailSegment segment, GuardrailOptions options, GuardrailTuning tuning)
    {
        if (options.MaxErrorRate is not (> 0 and < 1))
        {
            return null;
        }

        var alpha = tuning.AlphaOf(segment);
        var check = BernoulliConfidenceSequence.Check(segment.Errors, segment.Requests, options.MaxErrorRate, alpha);
        if (!check.Exceeds)
        {
            return null;
        }

        var rate = (double)segment.Errors / segment.Requests;
        var reason =
            $"guardrail: {name}'s error rate {Numbers.Percent(rate)} ({Numbers.Count(segment.Errors)} of {Numbers.Count(segment.Requests)} requests{Span(segment)}) " +
            $"is established above max_error_rate {Numbers.Percent(options.MaxErrorRate)} by an always-valid test " +
            $"(excess {Numbers.Plain(check.Statistic)} failures ≥ boundary {Numbers.Plain(check.Boundary)}, alpha {Alpha(alpha)}).";
        var metrics = new MetricsBuilder()
            .Add("requests", segment.Requests).Add("errors", segment.Errors).Add("error_rate", rate)
            .Add("max_error_rate", options.MaxErrorRate).Add("statistic", check.Statistic).Add("boundary", check.Boundary)
            .Add("alpha", alpha).Add("segment", segment.Index).Add("segment_start_request", segment.StartRequest)
            .Build();
        return new MonitorAction(MonitorActionKind.Rollback, name, reason, metrics);
    }

    private static MonitorAction? LatencyBreach(
        string name, GuardrailSegment segment, double threshold, double controlP95, GuardrailOptions options, GuardrailTuning tuning)
    {
        var alpha = tuning.AlphaOf(segment);
        var slow = segment.CountSlowerThan(threshold);
        var check = BernoulliConfidenceSequence.Check(slow, segment.Successes, tuning.SlowShare, alpha);
        if (!check.Exceeds)
        {
            return null;
        }

        var share = (double)slow / segment.Successes;
        var p95 = segment.Quantile(0.95);
        var reason =
            $"guardrail: {Numbers.Percent(share)} of {name}'s successful requests ({Numbers.Count(slow)} of {Numbers.Count(segment.Successes)}{Span(segment)}) " +
            $"are slower than {Numbers.Plain(options.MaxP95LatencyRatio)} × the control's p95 ({Numbers.Ms(controlP95)}) = {Numbers.Ms(threshold)}, " +
            $"established above {Numbers.Percent(tuning.SlowShare)} by an always-valid test (p95 {Numbers.Ms(p95)}; " +
            $"excess {Numbers.Plain(check.Statistic)} ≥ boundary {Numbers.Plain(check.Boundary)}, alpha {Alpha(alpha)}).";
        var metrics = new MetricsBuilder()
            .Add("successes", segment.Successes).Add("slow", slow).Add("slow_share", share).Add("p95_ms", p95)
            .Add("control_p95_ms", controlP95).Add("threshold_ms", threshold).Add("max_p95_latency_ratio", options.MaxP95LatencyRatio)
            .Add("statistic", check.Statistic).Add("boundary", check.Boundary).Add("alpha", alpha)
            .Add("segment", segment.Index).Add("segment_start_request", segment.StartRequest)
            .Build();
        return new MonitorAction(MonitorActionKind.Rollback, name, reason, metrics);
    }

    private static string Span(GuardrailSegment segment) =>
        segment.Index == 0 ? "" : $" since its request {Numbers.Count(segment.StartRequest)}";

    private static string Alpha(double alpha) => alpha.ToString("G3", CultureInfo.InvariantCulture);
}
