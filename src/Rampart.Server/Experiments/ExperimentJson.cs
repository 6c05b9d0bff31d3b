using System.Text.Json;
using Rampart.Core.Allocation;
using Rampart.Core.Audit;
using Rampart.Core.Events;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;

namespace Rampart.Server.Experiments;

/// <summary>
/// An experiment as the API shows it: its state, the weights and range table that serve now, and its definition (the
/// experiment file with every default spelled out). Enough for a remote client to assign locally.
/// </summary>
internal static class ExperimentJson
{
    /// <summary>Writes <paramref name="experiment"/> as a JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, Experiment experiment)
    {
        var definition = experiment.Definition;
        writer.WriteStartObject();
        writer.WriteString("key", experiment.Key);
        writer.WriteString("name", definition.Name);
        writer.WriteString("state", Name(experiment.State));
        writer.WriteString("control", definition.Control);
        writer.WriteNumber("stage", experiment.Stage);
        writer.WriteNumber("stages", definition.Stages.Length);
        writer.WriteNumber("version", experiment.Version);
        writer.WriteString("created_at", EventLineWriter.FormatTimestamp(experiment.CreatedAt));
        if (experiment.StageStartedAt is { } started)
        {
            writer.WriteString("stage_started_at", EventLineWriter.FormatTimestamp(started));
        }
        else
        {
            writer.WriteNull("stage_started_at");
        }

        writer.WriteString("winner", experiment.Winner);
        writer.WriteStartObject("rolled_back");
        foreach (var (variant, reason) in experiment.RolledBack)
        {
            writer.WriteString(variant, reason);
        }

        writer.WriteEndObject();
        StageWeights.Write(writer, "weights", definition.VariantNames, [.. experiment.CurrentWeights]);
        var current = experiment.Current;
        writer.WriteStartObject("allocation");
        writer.WriteNumber("index", current.Index);
        writer.WriteNumber("stage", current.Stage);
        writer.WriteString("kind", Name(current.Kind));
        writer.WriteString("at", EventLineWriter.FormatTimestamp(current.At));
        writer.WritePropertyName("ranges");
        BucketRangesJson.Write(writer, current.Table.ToRanges());
        writer.WriteEndObject();
        writer.WritePropertyName("definition");
        ExperimentDefinitionJson.Write(writer, definition);
        writer.WriteEndObject();
    }

    /// <summary>Writes an audit entry as <c>{ts, who, action, variant, reason, metrics}</c>.</summary>
    public static void Write(Utf8JsonWriter writer, AuditEntry entry)
    {
        writer.WriteStartObject();
        writer.WriteString("ts", EventLineWriter.FormatTimestamp(entry.Ts));
        writer.WriteString("who", entry.Who);
        writer.WriteString("action", entry.ActionName);
        writer.WriteString("variant", entry.Variant);
        writer.WriteString("reason", entry.Reason);
        writer.WriteStartObject("metrics");
        foreach (var (name, value) in entry.Metrics)
        {
            if (double.IsFinite(value))
            {
                writer.WriteNumber(name, value);
            }
            else
            {
                writer.WriteNull(name);
            }
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Writes a variant's configuration as in the experiment file.</summary>
    public static void Write(Utf8JsonWriter writer, VariantConfig config)
    {
        writer.WriteStartObject();
        writer.WriteString("provider", config.Provider);
        writer.WriteString("model", config.Model);
        WriteNumber(writer, "temperature", config.Temperature);
        writer.WriteString("system_prompt", config.SystemPrompt);
        if (config.MaxTokens is { } maxTokens)
        {
            writer.WriteNumber("max_tokens", maxTokens);
        }
        else
        {
            writer.WriteNull("max_tokens");
        }

        WriteNumber(writer, "top_p", config.TopP);
        writer.WritePropertyName("params");
        if (config.Params is { } parameters)
        {
            parameters.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WriteEndObject();
    }

    /// <summary>The lowercase name of an enum value (<c>rolled_back</c> for <c>RolledBack</c>).</summary>
    public static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum =>
        JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    private static void WriteNumber(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
