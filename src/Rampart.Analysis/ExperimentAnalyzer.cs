using Rampart.Analysis.Aggregation;
using Rampart.Analysis.Comparisons;
using Rampart.Analysis.Decisions;
using Rampart.Analysis.Results;
using Rampart.Core.Experiments;
using Rampart.Stats.Hypothesis;

namespace Rampart.Analysis;

/// <summary>
/// Turns an experiment's aggregates into the results document (docs/statistics.md): per-variant numbers, every variant against the
/// control on the primary score, error rate, latency and cost, the sample-ratio check and the recommendation.
/// Costs O(variants × units) whatever the number of events.
/// </summary>
public static class ExperimentAnalyzer
{
    /// <summary>The error-rate metric's name in <c>vs_control</c>.</summary>
    public const string ErrorRate = "error_rate";

    /// <summary>The latency metric's name in <c>vs_control</c>.</summary>
    public const string Latency = "latency_ms";

    /// <summary>The cost metric's name in <c>vs_control</c>.</summary>
    public const string Cost = "cost_usd";

    /// <summary>
    /// The most scores a variant's <c>scores</c> lists, the primary one included: the most fed are kept. Clients name their
    /// scores, so without it one client could make every results document as long as it liked.
    /// </summary>
    public const int MaxListedScores = 32;

    /// <summary>The most judge scores listed (the experiment's judges always, then other scores with judge feedback by name).</summary>
    public const int MaxListedJudgeScores = 16;

    /// <summary>Analyses <paramref name="aggregate"/>; throws <see cref="AnalysisException"/> when the options do not fit its events.</summary>
    public static ResultsDocument Analyze(ExperimentAggregate aggregate, AnalysisOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        options ??= new AnalysisOptions();
        var (names, weights) = VariantPlan.Resolve(aggregate, options);
        var hasExposures = aggregate.HasExposures;
        var snapshots = names.Select(n => VariantSnapshot.Of(n, aggregate.Find(n), hasExposures)).ToList();
        var control = snapshots[0];
        var variants = snapshots.Skip(1).ToList();
        var missing = new List<string>();

        var srm = SampleRatio.Check(snapshots, weights, aggregate, options.Stages, missing);
        var score = options.PrimaryScore;
        var scoreNames = ScoreNames(snapshots, score, out var unlistedScores);
        var binary = snapshots.All(s => s.Score(score).Values.Count == 0 || s.Score(score).IsBinary);
        var judgeScores = JudgeScores(aggregate, options, score, out var unlistedJudgeScores);
        var byMetric = new Dictionary<string, List<Comparison>>(StringComparer.Ordinal)
        {
            [score] = [.. variants.Select(v => CompareScore(control, v, score, binary))],
            [ErrorRate] = [.. variants.Select(v => MetricComparer.Proportion(
                new BinomialCount(control.Errors, control.Requests), new BinomialCount(v.Errors, v.Requests), control.ErrorUnits, v.ErrorUnits, SequentialTuning.ErrorRate))],
            [Latency] = [.. variants.Select(v => MetricComparer.Continuous(control.Latency, v.Latency, control.LatencyUnits, v.LatencyUnits))],
            [Cost] = [.. variants.Select(v => MetricComparer.Continuous(control.Cost, v.Cost, control.CostUnits, v.CostUnits))],
        };

        foreach (var judge in judgeScores)
        {
            var judgeBinary = snapshots.All(s => s.Score(judge).Values.Count == 0 || s.Score(judge).IsBinary);
            byMetric[judge] = [.. variants.Select(v => CompareScore(control, v, judge, judgeBinary))];
        }

        var vsControl = variants.Select(_ => new Dictionary<string, MetricComparison>(StringComparer.Ordinal)).ToList();
        foreach (var (metric, comparisons) in byMetric)
        {
            var holm = HolmAdjustment.Adjust([.. comparisons.Select(c => c.PValue)]);
            var clusteredHolm = HolmAdjustment.Adjust([.. comparisons.Select(c => c.PValueClustered)]);
            var sequentialHolm = SequentialHolm(variants, comparisons, options.RolledBack);
            for (var i = 0; i < variants.Count; i++)
            {
                var c = comparisons[i];
                double[]? ci = c.Interval is { } interval ? [interval.Lower, interval.Upper] : null;
                vsControl[i][metric] = new MetricComparison(
                    c.Test, c.Diff, c.Lift, c.PValue, holm[i], c.PValueClustered, clusteredHolm[i], c.PValueSequential, ci, sequentialHolm[i]);
                missing.AddRange(c.Missing
                    .GroupBy(m => m.Reason, StringComparer.Ordinal)
                    .Select(g => MissingText.Comparison(variants[i].Name, control.Name, metric, new MissingValues([.. g.SelectMany(m => m.Fields)], g.Key))));
                if (c.PValueSequential is not null && sequentialHolm[i] is null)
                {
                    missing.Add(MissingText.Comparison(variants[i].Name, control.Name, metric, new MissingValues(["p_value_sequential_holm"], "it is rolled back, so it is no longer tested for promotion")));
                }
            }
        }

        foreach (var snapshot in snapshots)
        {
            missing.AddRange(MissingText.Descriptive(snapshot, scoreNames));
        }

        var recommendation = Recommender.Decide(control, variants, [.. vsControl.Select(v => v[score])], srm, options, missing, aggregate);
        var results = snapshots.Select((s, i) => Result(s, scoreNames, i == 0 ? null : vsControl[i - 1])).ToList();
        var judges = judgeScores.Count == 0 ? null : Judges(aggregate, options, snapshots, judgeScores);
        return new ResultsDocument(aggregate.Experiment, control.Name, srm, results, recommendation, judges, Shadow.ShadowAnalyzer.Analyze(aggregate.Paired))
        {
            UnlistedScores = unlistedScores,
            UnlistedJudgeScores = unlistedJudgeScores,
        };
    }

    // The configured judges' scores in their order, then any other score with judge feedback in name order up to
    // MaxListedJudgeScores in all; never the primary score.
    private static List<string> JudgeScores(ExperimentAggregate aggregate, AnalysisOptions options, string primary, out int unlisted)
    {
        var configured = options.Judges.Select(j => j.ScoreName).Where(s => s != primary).Distinct(StringComparer.Ordinal).ToList();
        var others = aggregate.Judges.Keys.Where(s => s != primary && !configured.Contains(s)).Order(StringComparer.Ordinal).ToList();
        var room = Math.Max(0, MaxListedJudgeScores - configured.Count);
        unlisted = Math.Max(0, others.Count - room);
        return [.. configured, .. others.Take(room)];
    }

    private static List<JudgeResult> Judges(ExperimentAggregate aggregate, AnalysisOptions options, List<VariantSnapshot> snapshots, List<string> scores)
    {
        var people = JudgeCalibration.People(aggregate, options.PrimaryScore);
        return [.. scores.Select(score =>
        {
            var calls = aggregate.Judges.GetValueOrDefault(score);
            var definition = options.Judges.FirstOrDefault(j => j.ScoreName == score);
            var name = definition?.Name ?? (score.StartsWith(JudgeDefinition.ScorePrefix, StringComparison.Ordinal) ? score[JudgeDefinition.ScorePrefix.Length..] : score);
            var variants = snapshots.ToDictionary(
                s => s.Name,
                s => new JudgeVariantResult(s.Score(score).Values.Count, s.Score(score).Values.Mean, calls?.Of(s.Name).CostUsd ?? 0),
                StringComparer.Ordinal);
            return new JudgeResult(name, score, calls?.Model ?? definition?.Model, variants, JudgeCalibration.Of(aggregate, options.PrimaryScore, score, people));
        })];
    }

    // Across the variants still in the running, as the monitor's SequentialPromotion adjusts them; a rolled-back variant gets null.
    private static double?[] SequentialHolm(List<VariantSnapshot> variants, List<Comparison> comparisons, IReadOnlySet<string> rolledBack)
    {
        var live = Enumerable.Range(0, variants.Count).Where(i => !rolledBack.Contains(variants[i].Name)).ToList();
        var adjusted = HolmAdjustment.Adjust([.. live.Select(i => comparisons[i].PValueSequential)]);
        var result = new double?[variants.Count];
        for (var k = 0; k < live.Count; k++)
        {
            result[live[k]] = adjusted[k];
        }

        return result;
    }

    private static Comparison CompareScore(VariantSnapshot control, VariantSnapshot variant, string score, bool binary)
    {
        var c = control.Score(score);
        var v = variant.Score(score);
        return binary
            ? MetricComparer.Proportion(
                new BinomialCount((long)c.Sum, c.Values.Count), new BinomialCount((long)v.Sum, v.Values.Count), c.PerUnit, v.PerUnit, SequentialTuning.BinaryScore)
            : MetricComparer.Continuous(c.Values, v.Values, c.PerUnit, v.PerUnit);
    }

    // The primary score first, then every other score with feedback in any variant, in the order first seen: at most
    // MaxListedScores in all, the most fed kept when there are more (score names are the clients' to choose).
    private static List<string> ScoreNames(IEnumerable<VariantSnapshot> snapshots, string primary, out int unlisted)
    {
        var fed = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, summary) in snapshots.SelectMany(s => s.Scores).Where(s => s.Key != primary))
        {
            fed[name] = fed.GetValueOrDefault(name) + summary.Values.Count;
        }

        unlisted = Math.Max(0, fed.Count - (MaxListedScores - 1));
        var kept = unlisted == 0
            ? null
            : fed.OrderByDescending(f => f.Value).ThenBy(f => f.Key, StringComparer.Ordinal).Take(MaxListedScores - 1).Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        return [primary, .. fed.Keys.Where(n => kept is null || kept.Contains(n))];
    }

    private static VariantResult Result(VariantSnapshot s, IReadOnlyList<string> scoreNames, IReadOnlyDictionary<string, MetricComparison>? vsControl) => new(
        s.Name,
        s.Units,
        s.Requests,
        s.Errors,
        s.ErrorRate,
        new LatencyResult(s.Latency.Mean, s.P50, s.P95, s.P99),
        new CostResult(s.Cost.Mean, s.CostTotal),
        new TokenResult(s.PromptTokens, s.CompletionTokens, s.PromptTokens + s.CompletionTokens),
        scoreNames.ToDictionary(n => n, n => new ScoreResult(s.Score(n).Values.Count, s.Score(n).Values.Mean), StringComparer.Ordinal),
        vsControl);
}
