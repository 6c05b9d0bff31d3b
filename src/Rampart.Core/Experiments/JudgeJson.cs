using System.Collections.Immutable;
using System.Text.Json;

namespace Rampart.Core.Experiments;

/// <summary>The <c>judges</c> of an experiment file and the <c>min_score</c> floors of its guardrails and promotion.</summary>
internal static class JudgeJson
{
    /// <summary>The most judges an experiment may have: each one is a model call on a share of the traffic.</summary>
    public const int MaxJudges = 8;

    /// <summary>The longest <c>rubric</c>, in characters: it is sent to the judge model with every judged call.</summary>
    public const int MaxRubricLength = 32_768;

    private static readonly string[] JudgeFields = ["name", "provider", "model", "rubric", "scale", "sample_rate", "max_cost_usd_per_day"];

    public static ImmutableArray<JudgeDefinition> Read(JsonElement root, JsonFieldReader fields)
    {
        if (!root.TryGetProperty("judges", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            fields.Problem("judges must be a JSON array of judges");
            return [];
        }

        if (element.GetArrayLength() > MaxJudges)
        {
            fields.Problem($"judges has {element.GetArrayLength()} judges; at most {MaxJudges} are allowed");
        }

        var judges = ImmutableArray.CreateBuilder<JudgeDefinition>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var path = $"judges[{index++}]";
            if (!fields.IsObject(item, path))
            {
                continue;
            }

            fields.RejectUnknown(item, path, JudgeFields);
            var name = fields.String(item, "name", path, required: true);
            if (name is not null && !ExperimentDefinition.IsValidJudgeName(name))
            {
                fields.Problem($"{path}.name '{name}' is invalid; use 1 to 48 lowercase letters, digits or '_'");
            }
            else if (name is not null && name.EndsWith(JudgeDefinition.PreferenceSuffix, StringComparison.Ordinal))
            {
                fields.Problem($"{path}.name '{name}' must not end in '{JudgeDefinition.PreferenceSuffix}': judge_<name>{JudgeDefinition.PreferenceSuffix} is the score of the judge's pairwise preference");
            }
            else if (name is not null && !names.Add(name))
            {
                fields.Problem($"{path}.name '{name}' is used by another judge; judge names must be unique");
            }

            var provider = fields.String(item, "provider", path, required: true);
            var model = fields.String(item, "model", path, required: true);
            var rubric = fields.String(item, "rubric", path, required: false);
            if (rubric is { Length: 0 })
            {
                fields.Problem($"{path}.rubric must not be empty; leave it out for the built-in rubric");
            }
            else if (rubric is { Length: > MaxRubricLength })
            {
                fields.Problem($"{path}.rubric is {rubric.Length} characters long; a rubric is sent with every judged call, so it is at most {MaxRubricLength}");
            }

            var (low, high) = ReadScale(item, path, fields);
            var sampleRate = fields.Number(item, "sample_rate", path, 0, 1, minExclusive: true) ?? JudgeDefinition.DefaultSampleRate;
            var maxCost = fields.Number(item, "max_cost_usd_per_day", path, 0, 1_000_000);
            if (name is not null && provider is not null && model is not null)
            {
                judges.Add(new JudgeDefinition(name, provider, model, rubric, low, high, sampleRate, maxCost));
            }
        }

        return judges.ToImmutable();
    }

    /// <summary>Reports every <c>min_score</c> naming a judge's score (<c>judge_…</c>) of a judge the experiment does not have.</summary>
    public static void CheckScoreNames(ExperimentDefinition definition, JsonFieldReader fields)
    {
        foreach (var (path, floors) in new[] { ("guardrails", definition.Guardrails.MinScore), ("promotion", definition.Promotion.MinScore) })
        {
            foreach (var score in floors.Keys)
            {
                if (score.StartsWith(JudgeDefinition.ScorePrefix, StringComparison.Ordinal) && definition.JudgeOf(score) is null)
                {
                    var known = definition.Judges.IsEmpty ? "the experiment has no judges" : $"its judges score {string.Join(", ", definition.Judges.Select(j => j.ScoreName))}";
                    fields.Problem($"{path}.min_score.{score} names no judge of this experiment ({known})");
                }
            }
        }
    }

    public static ImmutableSortedDictionary<string, ScoreFloor> ReadScoreFloors(JsonElement parent, string parentPath, JsonFieldReader fields)
    {
        var floors = ImmutableSortedDictionary.CreateBuilder<string, ScoreFloor>(StringComparer.Ordinal);
        var path = $"{parentPath}.min_score";
        if (!parent.TryGetProperty("min_score", out var element) || element.ValueKind == JsonValueKind.Null || !fields.IsObject(element, path))
        {
            return ScoreFloor.None;
        }

        foreach (var property in element.EnumerateObject())
        {
            var scorePath = $"{path}.{property.Name}";
            if (property.Name.Length == 0)
            {
                fields.Problem($"{path} has an empty score name");
                continue;
            }

            if (floors.ContainsKey(property.Name))
            {
                fields.Problem($"{scorePath} is given twice");
                continue;
            }

            if (!fields.IsObject(property.Value, scorePath))
            {
                continue;
            }

            fields.RejectUnknown(property.Value, scorePath, "max_drop");
            if (!property.Value.TryGetProperty("max_drop", out _))
            {
                fields.Problem($"{scorePath}.max_drop is required (the largest drop below the control's score tolerated, e.g. 0.05)");
                continue;
            }

            // Above 0: the always-valid test is tuned to the floor's own size (τ = max_drop), and a floor of 0 would test nothing
            // while blocking promotion for ever.
            if (fields.Number(property.Value, "max_drop", scorePath, 0, 1_000_000, minExclusive: true) is { } drop)
            {
                floors[property.Name] = new ScoreFloor(drop);
            }
        }

        return floors.Count == 0 ? ScoreFloor.None : floors.ToImmutable();
    }

    public static void WriteScoreFloors(Utf8JsonWriter writer, ImmutableSortedDictionary<string, ScoreFloor> floors)
    {
        if (floors.IsEmpty)
        {
            return;
        }

        writer.WriteStartObject("min_score");
        foreach (var (score, floor) in floors)
        {
            writer.WriteStartObject(score);
            writer.WriteNumber("max_drop", floor.MaxDrop);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter writer, ImmutableArray<JudgeDefinition> judges)
    {
        if (judges.IsDefaultOrEmpty)
        {
            return;
        }

        writer.WriteStartArray("judges");
        foreach (var judge in judges)
        {
            writer.WriteStartObject();
            writer.WriteString("name", judge.Name);
            writer.WriteString("provider", judge.Provider);
            writer.WriteString("model", judge.Model);
            if (judge.Rubric is { } rubric)
            {
                writer.WriteString("rubric", rubric);
            }

            writer.WriteStartArray("scale");
            writer.WriteNumberValue(judge.ScaleMin);
            writer.WriteNumberValue(judge.ScaleMax);
            writer.WriteEndArray();
            writer.WriteNumber("sample_rate", judge.SampleRate);
            if (judge.MaxCostUsdPerDay is { } cap)
            {
                writer.WriteNumber("max_cost_usd_per_day", cap);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static (double Low, double High) ReadScale(JsonElement item, string path, JsonFieldReader fields)
    {
        if (!item.TryGetProperty("scale", out var scale) || scale.ValueKind == JsonValueKind.Null)
        {
            return (1, 5);
        }

        if (scale.ValueKind != JsonValueKind.Array || scale.GetArrayLength() != 2
            || scale[0].ValueKind != JsonValueKind.Number || scale[1].ValueKind != JsonValueKind.Number
            || !scale[0].TryGetDouble(out var low) || !scale[1].TryGetDouble(out var high)
            || !double.IsFinite(low) || !double.IsFinite(high) || Math.Abs(low) > 1e6 || Math.Abs(high) > 1e6)
        {
            fields.Problem($"{path}.scale must be two numbers [lowest, highest], e.g. [1, 5]");
            return (1, 5);
        }

        if (!(low < high))
        {
            fields.Problem($"{path}.scale [{JsonFieldReader.Text(low)}, {JsonFieldReader.Text(high)}] must go from a lower to a higher rating");
            return (1, 5);
        }

        return (low, high);
    }
}
