using Rampart.Analysis.Comparisons;

namespace Rampart.Analysis;

/// <summary>Sentences saying which values of the document are null and why.</summary>
internal static class MissingText
{
    public static string Comparison(string variant, string control, string metric, MissingValues missing) =>
        $"{variant} vs {control} on {metric}: {List(missing.Fields)} {(missing.Fields.Count == 1 ? "is" : "are")} null: {missing.Reason}.";

    public static IEnumerable<string> Descriptive(VariantSnapshot s, IEnumerable<string> scores)
    {
        if (s.Requests == 0)
        {
            yield return $"{s.Name} has no completions, so error_rate, latency_ms and cost_usd.mean are null.";
        }
        else
        {
            if (s.Latency.Count == 0)
            {
                yield return $"{s.Name} has no successful completions, so latency_ms is null.";
            }

            if (s.Cost.Count == 0)
            {
                yield return $"{s.Name} has no completion with a cost, so cost_usd.mean is null.";
            }
        }

        foreach (var score in scores.Where(score => s.Score(score).Values.Count == 0))
        {
            yield return $"{s.Name} has no {score} feedback, so its mean is null.";
        }
    }

    private static string List(IReadOnlyList<string> fields) =>
        fields.Count == 1 ? fields[0] : $"{string.Join(", ", fields.Take(fields.Count - 1))} and {fields[^1]}";
}
