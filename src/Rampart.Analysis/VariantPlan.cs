using Rampart.Analysis.Aggregation;

namespace Rampart.Analysis;

/// <summary>Which variants a document lists, in which order (the control first), and the weights the sample-ratio test expects.</summary>
internal static class VariantPlan
{
    private static readonly string[] Reserved = [ExperimentAnalyzer.ErrorRate, ExperimentAnalyzer.Latency, ExperimentAnalyzer.Cost];

    public static (List<string> Names, List<double> Weights) Resolve(ExperimentAggregate aggregate, AnalysisOptions options)
    {
        if (options.Weights is not null && (options.Variants is null || options.Weights.Count != options.Variants.Count))
        {
            throw new ArgumentException("Give one weight per entry of Variants.", nameof(options));
        }

        if (Array.IndexOf(Reserved, options.PrimaryScore) >= 0 || string.IsNullOrEmpty(options.PrimaryScore))
        {
            throw new AnalysisException($"The primary score '{options.PrimaryScore}' is not a score name; {string.Join(", ", Reserved)} are metrics, not scores.");
        }

        var listed = options.Variants ?? [.. aggregate.Variants.Select(v => v.Name)];
        var unknown = aggregate.Variants.Select(v => v.Name).Where(n => !listed.Contains(n)).ToList();
        if (unknown.Count > 0)
        {
            throw new AnalysisException(
                $"Variant{(unknown.Count > 1 ? "s" : "")} '{string.Join("', '", unknown)}' of '{aggregate.Experiment}' {(unknown.Count > 1 ? "have" : "has")} events but " +
                $"{(unknown.Count > 1 ? "are" : "is")} not among the variants given ({string.Join(", ", listed)}).");
        }

        var controlIndex = IndexOf(listed, options.Control);
        if (controlIndex < 0)
        {
            var known = listed.Count == 0 ? "there are no events" : $"the variants are {string.Join(", ", listed)}";
            throw new AnalysisException($"The control '{options.Control}' is not a variant of '{aggregate.Experiment}'; {known}.");
        }

        var names = new List<string> { listed[controlIndex] };
        var weights = new List<double> { options.Weights?[controlIndex] ?? 1 };
        for (var i = 0; i < listed.Count; i++)
        {
            if (i != controlIndex)
            {
                names.Add(listed[i]);
                weights.Add(options.Weights?[i] ?? 1);
            }
        }

        // Equal weights, in percent like configured ones.
        return options.Weights is null ? (names, [.. weights.Select(_ => 100.0 / names.Count)]) : (names, weights);
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }

        return -1;
    }
}
