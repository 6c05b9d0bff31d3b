using Rampart.Analysis.Results;
using Rampart.Stats.Descriptive;
using Rampart.Stats.Hypothesis;
using Rampart.Stats.Ratios;
using Rampart.Stats.Sequential;

namespace Rampart.Analysis.Comparisons;

/// <summary>Compares a variant with the control on one metric: the request-level test, the clustered test and the mSPRT.</summary>
internal static class MetricComparer
{
    /// <summary>A rate: successes over trials per variant, with per-unit sums for the delta method.</summary>
    public static Comparison Proportion(
        BinomialCount control, BinomialCount variant, RatioAccumulator controlUnits, RatioAccumulator variantUnits, double tau)
    {
        var missing = new List<MissingValues>();
        double? diff = control.Rate is { } c && variant.Rate is { } v ? v - c : null;
        var test = TwoProportionTest.Compare(control, variant);
        if (test.PValue is null)
        {
            // Newcombe's interval outlives the z-test: rates of 0 (or 1) in both groups still bound the difference.
            string[] fields = test.Interval is null ? ["p_value", "p_value_holm", "ci95"] : ["p_value", "p_value_holm"];
            missing.Add(new(fields, test.Reason ?? "the test cannot be computed"));
        }

        return Complete(ComparisonTest.TwoProportionZ, diff, control.Rate, test.PValue, test.Interval, controlUnits, variantUnits, tau, missing);
    }

    /// <summary>A mean of continuous values per variant, with per-unit sums for the delta method.</summary>
    public static Comparison Continuous(
        SampleSummary control, SampleSummary variant, RatioAccumulator controlUnits, RatioAccumulator variantUnits)
    {
        var missing = new List<MissingValues>();
        double? diff = control.Mean is { } c && variant.Mean is { } v ? v - c : null;
        var test = WelchTest.Compare(control, variant);
        if (test.PValue is null)
        {
            missing.Add(new(["p_value", "p_value_holm", "ci95"], test.Reason ?? "the test cannot be computed"));
        }

        double? tau = control.Mean is { } mean && mean != 0 ? SequentialTuning.RelativeToControlMean * Math.Abs(mean) : null;
        return Complete(ComparisonTest.Welch, diff, control.Mean, test.PValue, test.Interval, controlUnits, variantUnits, tau, missing);
    }

    private static Comparison Complete(
        ComparisonTest test, double? diff, double? controlMean, double? pValue, ConfidenceInterval? interval,
        RatioAccumulator controlUnits, RatioAccumulator variantUnits, double? tau, List<MissingValues> missing)
    {
        diff = Finite(diff);
        if (diff is null)
        {
            missing.Insert(0, new(["diff", "lift"], controlMean is null ? "the control has no observations" : "the variant has no observations"));
        }

        var lift = diff is { } d && controlMean is { } m && m != 0 ? Finite(d / m) : null;
        if (diff is not null && lift is null)
        {
            missing.Insert(0, new(["lift"], "the control's mean is 0"));
        }

        var clustered = Clustered(controlUnits, variantUnits);
        if (clustered.PValue is null)
        {
            missing.Add(new(["p_value_clustered", "p_value_clustered_holm"], clustered.Reason ?? "the test cannot be computed"));
        }

        var sequential = Sequential(clustered, tau, out var sequentialReason);
        if (sequential is null)
        {
            missing.Add(new(["p_value_sequential", "p_value_sequential_holm"], sequentialReason!));
        }

        var finiteInterval = interval is { } ci && double.IsFinite(ci.Lower) && double.IsFinite(ci.Upper) ? interval : null;
        return new Comparison(test, diff, lift, pValue, clustered.PValue, sequential, finiteInterval, missing);
    }

    // Below the minimum the delta-method variance is too small too often (MinimumUnits): the test, its interval and the
    // mSPRT built on it are withheld. A test that already cannot be computed keeps its own, more specific, reason.
    private static DeltaMethodResult Clustered(RatioAccumulator controlUnits, RatioAccumulator variantUnits)
    {
        var clustered = DeltaMethodTest.Compare(controlUnits, variantUnits);
        if (clustered.PValue is null || (controlUnits.Units >= MinimumUnits.PerVariant && variantUnits.Units >= MinimumUnits.PerVariant))
        {
            return clustered;
        }

        return clustered with
        {
            StandardError = null,
            Z = null,
            PValue = null,
            Interval = null,
            Reason = $"fewer than {MinimumUnits.PerVariant} units per variant (the control has {controlUnits.Units}, the variant {variantUnits.Units})",
        };
    }

    // mSPRT on the clustered difference and its delta-method variance: valid however often the monitor looks, and honest about
    // units sending many requests.
    private static double? Sequential(DeltaMethodResult clustered, double? tau, out string? reason)
    {
        reason = null;
        if (tau is not { } t)
        {
            reason = "its tuning (5% of the control's mean) needs a control mean other than 0";
            return null;
        }

        if (clustered.Difference is not { } difference || clustered.StandardError is not { } standardError)
        {
            reason = clustered.Reason ?? "the clustered difference has no variance";
            return null;
        }

        var look = Msprt.SingleLook(difference, standardError * standardError, t);
        reason = look.Reason;
        return look.PValue;
    }

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;
}
