using Rampart.Analysis.Results;
using Rampart.Stats;

namespace Rampart.Analysis.Aggregation;

/// <summary>
/// Pairs a judge's score with the primary score on the requests that have both (the latest feedback per request of each, in
/// every variant; a judge's verdict written to the primary score is not a person's and is left out) and measures their agreement (docs/statistics.md, "Judge calibration").
/// </summary>
internal static class JudgeCalibration
{
    /// <summary>Pairs needed before the figures mean anything.</summary>
    public const int MinPairs = 10;

    /// <summary>A value above this (the scale's midpoint) counts as a positive verdict: on a 1–5 scale a 4 or a 5, as a "top-two box"; a neutral 3 does not.</summary>
    public const double Positive = 0.5;

    /// <summary>
    /// People's latest value of <paramref name="primary"/> per request, across the variants (a judge's verdict written to it
    /// left out): collected once per analysis and paired with each judge by <see cref="Of"/>.
    /// </summary>
    public static Dictionary<EventKey, double> People(ExperimentAggregate aggregate, string primary)
    {
        var human = new Dictionary<EventKey, double>();
        var notHuman = aggregate.Judges.GetValueOrDefault(primary)?.LatestVerdicts();
        foreach (var variant in aggregate.Variants)
        {
            Collect(variant.FindScore(primary), human, notHuman);
        }

        return human;
    }

    /// <summary>The agreement of <paramref name="judge"/> with <paramref name="human"/> (from <see cref="People"/>) on the requests both scored.</summary>
    public static CalibrationResult Of(ExperimentAggregate aggregate, string primary, string judge, Dictionary<EventKey, double> human)
    {
        var judged = new Dictionary<EventKey, double>();
        foreach (var variant in aggregate.Variants)
        {
            Collect(variant.FindScore(judge), judged, null);
        }

        var x = new List<double>();
        var y = new List<double>();
        foreach (var (request, value) in human)
        {
            if (judged.TryGetValue(request, out var verdict))
            {
                x.Add(value);
                y.Add(verdict);
            }
        }

        if (x.Count < MinPairs)
        {
            return new CalibrationResult(primary, x.Count, null, null, null,
                $"{x.Count} requests have both {primary} and {judge}; calibration needs at least {MinPairs}");
        }

        bool[] a = [.. x.Select(v => v > Positive)];
        bool[] b = [.. y.Select(v => v > Positive)];
        var r = Agreement.Pearson(x.ToArray(), y.ToArray());
        var kappa = Agreement.CohenKappa(a, b);
        var reasons = new List<string>();
        if (r is null)
        {
            reasons.Add($"correlation: {(Variance(x) ? judge : primary)} has the same value on every paired request");
        }

        if (kappa is null)
        {
            reasons.Add("kappa: both give one verdict to every paired request");
        }

        return new CalibrationResult(primary, x.Count, r, kappa, Agreement.ObservedAgreement(a, b), reasons.Count == 0 ? null : string.Join("; ", reasons));
    }

    private static bool Variance(List<double> values) => values.Any(v => v != values[0]);

    // Requests are unique to a variant; a request id seen in two variants keeps the later one read, as ids collide only by mistake.
    private static void Collect(ScoreAggregate? score, Dictionary<EventKey, double> into, HashSet<(EventKey, long, long)>? skip)
    {
        if (score is null)
        {
            return;
        }

        foreach (var (request, entry) in score.ByRequest())
        {
            if (skip is null || !skip.Contains((request, entry.TsTicks, entry.Sequence)))
            {
                into[request] = entry.Value;
            }
        }
    }
}
