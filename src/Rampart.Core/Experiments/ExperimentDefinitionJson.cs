using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Rampart.Core.Allocation;
using Rampart.Core.Events;

namespace Rampart.Core.Experiments;

/// <summary>
/// The experiment file format (docs/experiment-format.md). <see cref="Parse"/> reports every problem at once, each naming its field;
/// <see cref="Write(ExperimentDefinition, bool)"/> writes the canonical form with every default spelled out.
/// </summary>
public static class ExperimentDefinitionJson
{
    private static readonly string[] TopLevelFields =
        ["key", "name", "control", "variants", "stages", "advance", "primary_score", "promotion", "guardrails", "logging", "salt", "judges", "targeting", "layer", "segments"];

    private static readonly string[] VariantFields = ["provider", "model", "temperature", "system_prompt", "max_tokens", "top_p", "params"];

    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>Reads an experiment file.</summary>
    /// <exception cref="ArgumentNullException">when <paramref name="json"/> is null.</exception>
    /// <exception cref="ExperimentValidationException">
    /// when <paramref name="json"/> is not JSON, holds a string that is not valid Unicode, or is not a valid experiment; the message lists every problem.
    /// </exception>
    public static ExperimentDefinition Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new ExperimentValidationException(
                $"the experiment is not valid JSON at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}: {FirstSentence(e.Message)}", e);
        }

        using (document)
        {
            try
            {
                return Read(document.RootElement);
            }
            catch (InvalidOperationException e)
            {
                // GetString of an escape such as \ud800 (half a surrogate pair): JSON, but not text.
                throw new ExperimentValidationException(
                    "the experiment holds a string with half a UTF-16 surrogate pair (an escape such as \\ud800 without its partner); send valid Unicode", e);
            }
        }
    }

    /// <summary>Reads an experiment from a parsed JSON object.</summary>
    /// <exception cref="ExperimentValidationException">when <paramref name="root"/> is not a valid experiment; the message lists every problem.</exception>
    /// <exception cref="InvalidOperationException">
    /// when a string in <paramref name="root"/> holds half a UTF-16 surrogate pair (an escape such as <c>\ud800</c>), which <see cref="Parse"/> reports
    /// as an <see cref="ExperimentValidationException"/> instead.
    /// </exception>
    public static ExperimentDefinition Read(JsonElement root)
    {
        var fields = new JsonFieldReader();
        if (!fields.IsObject(root, "the experiment"))
        {
            throw new ExperimentValidationException(fields.Problems);
        }

        fields.RejectUnknown(root, "", TopLevelFields);
        var key = fields.String(root, "key", "", required: true);
        if (key is not null && !ExperimentDefinition.IsValidKey(key))
        {
            fields.Problem($"key '{key}' is invalid; use 1 to 64 lowercase letters, digits, '-' or '_', starting with a letter or digit");
        }

        var variants = ReadVariants(root, fields);
        var names = variants.Select(v => v.Name).ToList();
        var control = fields.String(root, "control", "", required: true);
        if (control is not null && variants.Length > 0 && !names.Contains(control))
        {
            fields.Problem($"control '{control}' is not one of the variants ({string.Join(", ", names)})");
        }

        var stages = ReadStages(root, names, control, fields);
        var definition = new ExperimentDefinition(
            Key: key ?? "",
            Name: fields.String(root, "name", "", required: false) ?? key ?? "",
            Control: control ?? "",
            Variants: variants,
            Stages: stages,
            Advance: fields.Choice<AdvanceMode>(root, "advance", "") ?? AdvanceMode.Manual,
            PrimaryScore: fields.String(root, "primary_score", "", required: false) ?? ExperimentDefinition.DefaultPrimaryScore,
            Promotion: ReadPromotion(root, fields),
            Guardrails: ReadGuardrails(root, fields),
            Logging: ReadLogging(root, fields),
            Salt: fields.String(root, "salt", "", required: false) ?? key ?? "")
        {
            Judges = JudgeJson.Read(root, fields),
            Layer = LayerJson.Read(root, fields),
            Segments = ReadSegments(root, fields),
            Targeting = root.TryGetProperty("targeting", out var targeting) && targeting.ValueKind != JsonValueKind.Null
                ? Targeting.TargetingJson.Read(targeting, "targeting", fields)
                : null,
        };
        if (definition.PrimaryScore.Length == 0)
        {
            fields.Problem("primary_score must not be empty");
        }

        CheckLength(fields, "primary_score", definition.PrimaryScore, EventLimits.MaxScoreNameLength, "a feedback score's name is");
        CheckLength(fields, "name", definition.Name, MaxTextLength, "a name is");
        CheckLength(fields, "salt", definition.Salt, MaxTextLength, "every assignment hashes the salt, so it is");

        JudgeJson.CheckScoreNames(definition, fields);

        return fields.Count == 0 ? definition : throw new ExperimentValidationException(fields.Problems);
    }

    private static ImmutableArray<Variant> ReadVariants(JsonElement root, JsonFieldReader fields)
    {
        if (!root.TryGetProperty("variants", out var element))
        {
            fields.Problem("variants is required");
            return [];
        }

        if (!fields.IsObject(element, "variants"))
        {
            return [];
        }

        var variants = ImmutableArray.CreateBuilder<Variant>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var path = $"variants.{property.Name}";
            if (!seen.Add(property.Name))
            {
                fields.Problem($"{path} is defined twice; variant names must be unique");
                continue;
            }

            if (!ExperimentDefinition.IsValidVariantName(property.Name))
            {
                fields.Problem($"{path}: '{property.Name}' is not a valid variant name; use 1 to 64 letters, digits, '.', '-' or '_'");
            }

            if (!fields.IsObject(property.Value, path))
            {
                continue;
            }

            fields.RejectUnknown(property.Value, path, VariantFields);
            variants.Add(new Variant(property.Name, ReadVariantConfig(property.Value, path, fields)));
        }

        if (variants.Count < 2)
        {
            fields.Problem($"variants needs at least two variants (a control and one to test); it has {variants.Count}");
        }
        else if (variants.Count > AllocationTable.MaxVariants)
        {
            fields.Problem($"variants has {variants.Count} variants; at most {AllocationTable.MaxVariants} are allowed");
        }

        return variants.ToImmutable();
    }

    private static VariantConfig ReadVariantConfig(JsonElement element, string path, JsonFieldReader fields)
    {
        JsonElement? parameters = null;
        if (element.TryGetProperty("params", out var raw) && raw.ValueKind != JsonValueKind.Null)
        {
            // Kept as given, so checked here as the server checks a body: a param given twice (which value would the provider
            // get?) or half a surrogate pair (it cannot be written back) is refused, naming its path.
            if (fields.IsObject(raw, $"{path}.params"))
            {
                if (JsonSoundness.Problem(raw, $"{path}.params") is { } unsound)
                {
                    fields.Problem($"{unsound.Field} {unsound.Problem}");
                }
                else
                {
                    parameters = raw.Clone();
                }
            }
        }

        return new VariantConfig(
            Provider: fields.String(element, "provider", path, required: true) ?? "",
            Model: fields.String(element, "model", path, required: true) ?? "",
            Temperature: fields.Number(element, "temperature", path, 0, 2),
            SystemPrompt: fields.String(element, "system_prompt", path, required: false),
            MaxTokens: fields.Integer(element, "max_tokens", path, 1, 10_000_000),
            TopP: fields.Number(element, "top_p", path, 0, 1),
            Params: parameters);
    }

    private static ImmutableArray<StageDefinition> ReadStages(JsonElement root, List<string> variants, string? control, JsonFieldReader fields)
    {
        if (!root.TryGetProperty("stages", out var element))
        {
            fields.Problem("stages is required");
            return [];
        }

        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() == 0)
        {
            fields.Problem("stages must be a non-empty JSON array of stages");
            return [];
        }

        if (element.GetArrayLength() > MaxStages)
        {
            fields.Problem($"stages has {element.GetArrayLength()} stages; at most {MaxStages} are allowed (an event records its stage's index, at most {EventLimits.MaxStage}, and promotion adds a stage after the last)");
            return [];
        }

        var stages = ImmutableArray.CreateBuilder<StageDefinition>();
        var index = 0;
        foreach (var stage in element.EnumerateArray())
        {
            var path = $"stages[{index++}]";
            if (!fields.IsObject(stage, path))
            {
                continue;
            }

            fields.RejectUnknown(stage, path, "weights", "min_duration", "shadow");
            var minDuration = fields.Duration(stage, "min_duration", path);
            if (stage.TryGetProperty("shadow", out _))
            {
                if (ShadowJson.Read(stage, path, index - 1, variants, control, minDuration, fields) is { } shadow)
                {
                    stages.Add(shadow);
                }

                continue;
            }

            if (!stage.TryGetProperty("weights", out var weights))
            {
                fields.Problem($"{path}.weights is required");
                continue;
            }

            var read = StageWeights.Read(weights, $"{path}.weights", variants, fields);
            if (read is not null)
            {
                stages.Add(new StageDefinition(read.Value, minDuration));
            }
        }

        var all = stages.ToImmutable();
        ShadowJson.CheckFollowed(all, fields);
        return all;
    }

    /// <summary>
    /// The longest <c>name</c> and <c>salt</c>, in characters: the name is shown on every page and in every listing, and
    /// every assignment hashes the salt.
    /// </summary>
    public const int MaxTextLength = 256;

    private static void CheckLength(JsonFieldReader fields, string field, string value, int max, string why)
    {
        if (value.Length > max)
        {
            fields.Problem($"{field} is {value.Length} characters long; {why} at most {max}");
        }
    }

    /// <summary>The most attributes results can be broken down by: each one is stored on every exposure.</summary>
    public const int MaxSegments = 8;

    /// <summary>
    /// The most stages an experiment may list: events record the index of the stage that served them (at most
    /// <see cref="EventLimits.MaxStage"/>), and the stage a promotion adds comes after the last listed one.
    /// </summary>
    public const int MaxStages = EventLimits.MaxStage;

    private static ImmutableArray<string> ReadSegments(JsonElement root, JsonFieldReader fields)
    {
        if (!root.TryGetProperty("segments", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() > MaxSegments)
        {
            fields.Problem($"segments must be an array of at most {MaxSegments} attribute names, e.g. [\"country\", \"plan\"]");
            return [];
        }

        var names = ImmutableArray.CreateBuilder<string>();
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var name = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            if (name is null || name.Length is 0 or > Targeting.UnitAttributes.MaxNameLength || names.Contains(name))
            {
                fields.Problem($"segments[{index}] must be an attribute name of 1 to {Targeting.UnitAttributes.MaxNameLength} characters, each listed once");
            }
            else
            {
                names.Add(name);
            }

            index++;
        }

        return names.ToImmutable();
    }

    private static PromotionOptions ReadPromotion(JsonElement root, JsonFieldReader fields)
    {
        var defaults = new PromotionOptions();
        if (!root.TryGetProperty("promotion", out var element) || !fields.IsObject(element, "promotion"))
        {
            return defaults;
        }

        fields.RejectUnknown(element, "promotion", "alpha", "min_units", "max_error_rate_ratio", "max_p95_latency_ratio", "min_score", "max_segment_drop");
        return new PromotionOptions(
            Alpha: fields.Number(element, "alpha", "promotion", 0, 0.5, minExclusive: true) ?? defaults.Alpha,
            MinUnits: fields.Integer(element, "min_units", "promotion", 1, int.MaxValue) ?? defaults.MinUnits,
            MaxErrorRateRatio: fields.Number(element, "max_error_rate_ratio", "promotion", 0, 1000, minExclusive: true) ?? defaults.MaxErrorRateRatio,
            MaxP95LatencyRatio: fields.Number(element, "max_p95_latency_ratio", "promotion", 0, 1000, minExclusive: true) ?? defaults.MaxP95LatencyRatio)
        {
            MinScore = JudgeJson.ReadScoreFloors(element, "promotion", fields),
            MaxSegmentDrop = fields.Number(element, "max_segment_drop", "promotion", 0, 1e9, minExclusive: true),
        };
    }

    private static GuardrailOptions ReadGuardrails(JsonElement root, JsonFieldReader fields)
    {
        var defaults = new GuardrailOptions();
        if (!root.TryGetProperty("guardrails", out var element) || !fields.IsObject(element, "guardrails"))
        {
            return defaults;
        }

        fields.RejectUnknown(element, "guardrails", "max_error_rate", "max_p95_latency_ratio", "min_requests", "check_interval", "min_score");
        return new GuardrailOptions(
            MaxErrorRate: fields.Number(element, "max_error_rate", "guardrails", 0, 1, minExclusive: true) ?? defaults.MaxErrorRate,
            MaxP95LatencyRatio: fields.Number(element, "max_p95_latency_ratio", "guardrails", 0, 1000, minExclusive: true) ?? defaults.MaxP95LatencyRatio,
            MinRequests: fields.Integer(element, "min_requests", "guardrails", 1, int.MaxValue) ?? defaults.MinRequests,
            CheckInterval: fields.Duration(element, "check_interval", "guardrails") ?? defaults.CheckInterval)
        {
            MinScore = JudgeJson.ReadScoreFloors(element, "guardrails", fields),
        };
    }

    private static ContentLogging ReadLogging(JsonElement root, JsonFieldReader fields)
    {
        if (!root.TryGetProperty("logging", out var element) || !fields.IsObject(element, "logging"))
        {
            return ContentLogging.Full;
        }

        fields.RejectUnknown(element, "logging", "content");
        return fields.Choice<ContentLogging>(element, "content", "logging") ?? ContentLogging.Full;
    }

    /// <summary>The canonical JSON of <paramref name="definition"/>, every default spelled out.</summary>
    /// <exception cref="ArgumentNullException">when <paramref name="definition"/> is null.</exception>
    public static string Write(ExperimentDefinition definition, bool indented = true)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            Write(writer, definition);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes the canonical JSON of <paramref name="definition"/>.</summary>
    /// <exception cref="ArgumentNullException">when <paramref name="writer"/> or <paramref name="definition"/> is null.</exception>
    public static void Write(Utf8JsonWriter writer, ExperimentDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(definition);
        writer.WriteStartObject();
        writer.WriteString("key", definition.Key);
        writer.WriteString("name", definition.Name);
        writer.WriteString("control", definition.Control);
        writer.WriteStartObject("variants");
        foreach (var variant in definition.Variants)
        {
            WriteVariant(writer, variant);
        }

        writer.WriteEndObject();
        writer.WriteStartArray("stages");
        foreach (var stage in definition.Stages)
        {
            writer.WriteStartObject();
            if (stage.Shadow is { } shadow)
            {
                ShadowJson.Write(writer, shadow);
            }
            else
            {
                StageWeights.Write(writer, "weights", definition.VariantNames, stage.Weights);
            }

            if (stage.MinDuration is { } minDuration)
            {
                writer.WriteString("min_duration", DurationText.Format(minDuration));
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteString("advance", definition.Advance.ToString().ToLowerInvariant());
        writer.WriteString("primary_score", definition.PrimaryScore);
        writer.WriteStartObject("promotion");
        writer.WriteNumber("alpha", definition.Promotion.Alpha);
        writer.WriteNumber("min_units", definition.Promotion.MinUnits);
        writer.WriteNumber("max_error_rate_ratio", definition.Promotion.MaxErrorRateRatio);
        writer.WriteNumber("max_p95_latency_ratio", definition.Promotion.MaxP95LatencyRatio);
        JudgeJson.WriteScoreFloors(writer, definition.Promotion.MinScore);
        if (definition.Promotion.MaxSegmentDrop is { } maxSegmentDrop)
        {
            writer.WriteNumber("max_segment_drop", maxSegmentDrop);
        }

        writer.WriteEndObject();
        writer.WriteStartObject("guardrails");
        writer.WriteNumber("max_error_rate", definition.Guardrails.MaxErrorRate);
        writer.WriteNumber("max_p95_latency_ratio", definition.Guardrails.MaxP95LatencyRatio);
        writer.WriteNumber("min_requests", definition.Guardrails.MinRequests);
        writer.WriteString("check_interval", DurationText.Format(definition.Guardrails.CheckInterval));
        JudgeJson.WriteScoreFloors(writer, definition.Guardrails.MinScore);
        writer.WriteEndObject();
        writer.WriteStartObject("logging");
        writer.WriteString("content", definition.Logging.ToString().ToLowerInvariant());
        writer.WriteEndObject();
        writer.WriteString("salt", definition.Salt);
        JudgeJson.Write(writer, definition.Judges);
        if (!definition.Segments.IsDefaultOrEmpty)
        {
            writer.WriteStartArray("segments");
            foreach (var segment in definition.Segments)
            {
                writer.WriteStringValue(segment);
            }

            writer.WriteEndArray();
        }

        if (definition.Layer is { } layer)
        {
            LayerJson.Write(writer, layer);
        }

        if (definition.Targeting is { } targeting)
        {
            writer.WritePropertyName("targeting");
            Targeting.TargetingJson.Write(writer, targeting);
        }

        writer.WriteEndObject();
    }

    private static void WriteVariant(Utf8JsonWriter writer, Variant variant)
    {
        var config = variant.Config;
        writer.WriteStartObject(variant.Name);
        writer.WriteString("provider", config.Provider);
        writer.WriteString("model", config.Model);
        if (config.Temperature is { } temperature)
        {
            writer.WriteNumber("temperature", temperature);
        }

        if (config.SystemPrompt is { } systemPrompt)
        {
            writer.WriteString("system_prompt", systemPrompt);
        }

        if (config.MaxTokens is { } maxTokens)
        {
            writer.WriteNumber("max_tokens", maxTokens);
        }

        if (config.TopP is { } topP)
        {
            writer.WriteNumber("top_p", topP);
        }

        if (config.Params is { } parameters)
        {
            writer.WritePropertyName("params");
            parameters.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return (end < 0 ? message : message[..end]).TrimEnd('.');
    }

    internal static string Percent(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
