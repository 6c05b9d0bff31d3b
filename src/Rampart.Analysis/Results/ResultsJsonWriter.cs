using System.Text.Json;

namespace Rampart.Analysis.Results;

/// <summary>
/// Writes the results document with <see cref="Utf8JsonWriter"/>, field by field in the order docs/api.md shows: no serializer
/// metadata to build, so a one-shot command (<c>rampart analyze</c>) starts writing at once. <see cref="ResultsJsonContext"/>
/// reads what this writes; a round-trip test keeps the two in step.
/// </summary>
internal static class ResultsJsonWriter
{
    public static void Write(Utf8JsonWriter writer, ResultsDocument document)
    {
        writer.WriteStartObject();
        writer.WriteString("experiment", document.Experiment);
        writer.WriteString("control", document.Control);
        writer.WriteStartObject("srm");
        Number(writer, "p_value", document.Srm.PValue);
        writer.WriteBoolean("mismatch", document.Srm.Mismatch);
        writer.WriteStartObject("expected_weights");
        foreach (var (name, weight) in document.Srm.ExpectedWeights)
        {
            writer.WriteNumber(name, weight);
        }

        writer.WriteEndObject();
        writer.WriteStartObject("observed_units");
        foreach (var (name, units) in document.Srm.ObservedUnits)
        {
            writer.WriteNumber(name, units);
        }

        writer.WriteEndObject();
        Stages(writer, document.Srm.Stages ?? []);
        writer.WriteEndObject();
        writer.WriteStartArray("variants");
        foreach (var variant in document.Variants)
        {
            Variant(writer, variant);
        }

        writer.WriteEndArray();
        if (document.UnlistedScores > 0)
        {
            writer.WriteNumber("unlisted_scores", document.UnlistedScores);
        }

        if (document.Judges is { } judges)
        {
            Judges(writer, judges);
        }

        if (document.UnlistedJudgeScores > 0)
        {
            writer.WriteNumber("unlisted_judge_scores", document.UnlistedJudgeScores);
        }

        if (document.Shadow is { } shadow)
        {
            ShadowJsonWriter.Write(writer, shadow);
        }

        writer.WriteStartObject("recommendation");
        writer.WriteString("action", document.Recommendation.Action switch
        {
            RecommendedAction.Rollback => "rollback",
            RecommendedAction.Promote => "promote",
            _ => "continue",
        });
        writer.WriteString("variant", document.Recommendation.Variant);
        writer.WriteStartArray("reasons");
        foreach (var reason in document.Recommendation.Reasons)
        {
            writer.WriteStringValue(reason);
        }

        writer.WriteEndArray();
        Strings(writer, "details", document.Recommendation.Details ?? []);
        writer.WriteString("outcome", document.Recommendation.Outcome);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void Judges(Utf8JsonWriter writer, IReadOnlyList<JudgeResult> judges)
    {
        writer.WriteStartArray("judges");
        foreach (var judge in judges)
        {
            writer.WriteStartObject();
            writer.WriteString("name", judge.Name);
            writer.WriteString("score", judge.Score);
            writer.WriteString("model", judge.Model);
            writer.WriteStartObject("variants");
            foreach (var (name, v) in judge.Variants)
            {
                writer.WriteStartObject(name);
                writer.WriteNumber("n", v.N);
                Number(writer, "mean", v.Mean);
                writer.WriteNumber("cost_usd", v.CostUsd);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            var c = judge.Calibration;
            writer.WriteStartObject("calibration");
            writer.WriteString("against", c.Against);
            writer.WriteNumber("n", c.N);
            Number(writer, "correlation", c.Correlation);
            Number(writer, "kappa", c.Kappa);
            Number(writer, "agreement", c.Agreement);
            writer.WriteString("reason", c.Reason);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void Stages(Utf8JsonWriter writer, IReadOnlyList<SrmStage> stages)
    {
        writer.WriteStartArray("stages");
        foreach (var stage in stages)
        {
            writer.WriteStartObject();
            writer.WriteNumber("stage", stage.Stage);
            writer.WriteStartObject("expected");
            foreach (var (name, weight) in stage.Expected)
            {
                writer.WriteNumber(name, weight);
            }

            writer.WriteEndObject();
            writer.WriteStartObject("observed");
            foreach (var (name, units) in stage.Observed)
            {
                writer.WriteNumber(name, units);
            }

            writer.WriteEndObject();
            Number(writer, "p_value", stage.PValue);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void Strings(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static void Variant(Utf8JsonWriter writer, VariantResult v)
    {
        writer.WriteStartObject();
        writer.WriteString("name", v.Name);
        writer.WriteNumber("units", v.Units);
        writer.WriteNumber("requests", v.Requests);
        writer.WriteNumber("errors", v.Errors);
        Number(writer, "error_rate", v.ErrorRate);
        writer.WriteStartObject("latency_ms");
        Number(writer, "mean", v.LatencyMs.Mean);
        Number(writer, "p50", v.LatencyMs.P50);
        Number(writer, "p95", v.LatencyMs.P95);
        Number(writer, "p99", v.LatencyMs.P99);
        writer.WriteEndObject();
        writer.WriteStartObject("cost_usd");
        Number(writer, "mean", v.CostUsd.Mean);
        writer.WriteNumber("total", v.CostUsd.Total);
        writer.WriteEndObject();
        writer.WriteStartObject("tokens");
        writer.WriteNumber("prompt", v.Tokens.Prompt);
        writer.WriteNumber("completion", v.Tokens.Completion);
        writer.WriteNumber("total", v.Tokens.Total);
        writer.WriteEndObject();
        writer.WriteStartObject("scores");
        foreach (var (name, score) in v.Scores)
        {
            writer.WriteStartObject(name);
            writer.WriteNumber("n", score.N);
            Number(writer, "mean", score.Mean);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        if (v.VsControl is not null)
        {
            writer.WriteStartObject("vs_control");
            foreach (var (metric, c) in v.VsControl)
            {
                writer.WriteStartObject(metric);
                writer.WriteString("test", c.Test switch
                {
                    ComparisonTest.TwoProportionZ => "z",
                    _ => "welch",
                });
                Number(writer, "diff", c.Diff);
                Number(writer, "lift", c.Lift);
                Number(writer, "p_value", c.PValue);
                Number(writer, "p_value_holm", c.PValueHolm);
                Number(writer, "p_value_clustered", c.PValueClustered);
                Number(writer, "p_value_clustered_holm", c.PValueClusteredHolm);
                Number(writer, "p_value_sequential", c.PValueSequential);
                Number(writer, "p_value_sequential_holm", c.PValueSequentialHolm);
                if (c.Ci95 is { } ci)
                {
                    writer.WriteStartArray("ci95");
                    foreach (var bound in ci)
                    {
                        writer.WriteNumberValue(bound);
                    }

                    writer.WriteEndArray();
                }
                else
                {
                    writer.WriteNull("ci95");
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    // Utf8JsonWriter refuses NaN and infinities, so a value that slipped through would fail loudly, never print as NaN.
    internal static void Number(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
