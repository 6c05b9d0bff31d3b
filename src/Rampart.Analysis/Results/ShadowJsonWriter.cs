using System.Text.Json;

namespace Rampart.Analysis.Results;

/// <summary>Writes the results document's <c>shadow</c> block in the order docs/api.md shows; <see cref="ResultsJsonContext"/> reads it back.</summary>
internal static class ShadowJsonWriter
{
    public static void Write(Utf8JsonWriter writer, ShadowResult shadow)
    {
        writer.WriteStartObject("shadow");
        writer.WriteNumber("unmatched", shadow.Unmatched);
        writer.WriteNumber("dropped", shadow.Dropped);
        writer.WriteNumber("duplicates", shadow.Duplicates);
        writer.WriteStartArray("variants");
        foreach (var v in shadow.Variants)
        {
            writer.WriteStartObject();
            writer.WriteString("name", v.Name);
            writer.WriteNumber("pairs", v.Pairs);
            var e = v.Errors;
            writer.WriteStartObject("errors");
            writer.WriteNumber("shadow_only", e.ShadowOnly);
            writer.WriteNumber("control_only", e.ControlOnly);
            writer.WriteNumber("both", e.Both);
            Number(writer, "control_rate", e.ControlRate);
            Number(writer, "shadow_rate", e.ShadowRate);
            Number(writer, "ratio", e.Ratio);
            Number(writer, "difference", e.Difference);
            Interval(writer, "ci95", e.Ci95);
            Number(writer, "p_value", e.PValue);
            Number(writer, "p_value_shadow_worse", e.PValueShadowWorse);
            writer.WriteEndObject();
            var l = v.LatencyMs;
            writer.WriteStartObject("latency_ms");
            writer.WriteNumber("n", l.N);
            Number(writer, "p_value", l.PValue);
            Number(writer, "geometric_mean_ratio", l.GeometricMeanRatio);
            Interval(writer, "geometric_mean_ratio_ci95", l.GeometricMeanRatioCi95);
            Number(writer, "median_ratio", l.MedianRatio);
            Interval(writer, "median_ratio_ci95", l.MedianRatioCi95);
            Number(writer, "p95_ratio", l.P95Ratio);
            writer.WriteEndObject();
            var c = v.CostUsd;
            writer.WriteStartObject("cost_usd");
            writer.WriteNumber("n", c.N);
            Number(writer, "mean_difference", c.MeanDifference);
            Interval(writer, "ci95", c.Ci95);
            Number(writer, "p_value", c.PValue);
            writer.WriteNumber("shadow_total", c.ShadowTotal);
            writer.WriteEndObject();
            writer.WriteStartObject("judges");
            foreach (var (score, j) in v.Judges)
            {
                writer.WriteStartObject(score);
                writer.WriteNumber("n", j.N);
                Number(writer, "mean_difference", j.MeanDifference);
                Interval(writer, "ci95", j.Ci95);
                Number(writer, "p_value", j.PValue);
                if (j.Preference is { } p)
                {
                    writer.WriteStartObject("preference");
                    writer.WriteNumber("n", p.N);
                    writer.WriteNumber("wins", p.Wins);
                    writer.WriteNumber("losses", p.Losses);
                    writer.WriteNumber("ties", p.Ties);
                    Number(writer, "win_rate", p.WinRate);
                    Interval(writer, "ci95", p.Ci95);
                    Number(writer, "p_value", p.PValue);
                    writer.WriteEndObject();
                }
                else
                {
                    writer.WriteNull("preference");
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            if (v.UnlistedJudgeScores > 0)
            {
                writer.WriteNumber("unlisted_judge_scores", v.UnlistedJudgeScores);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter writer, string name, double? value) => ResultsJsonWriter.Number(writer, name, value);

    private static void Interval(Utf8JsonWriter writer, string name, IReadOnlyList<double>? interval)
    {
        if (interval is null)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteStartArray(name);
        foreach (var bound in interval)
        {
            writer.WriteNumberValue(bound);
        }

        writer.WriteEndArray();
    }
}
