using System.Collections.Immutable;
using System.Text.Json;
using Rampart.Core.Allocation;

namespace Rampart.Core.Experiments;

/// <summary>The <c>shadow</c> of a stage in the experiment file (docs/shadow.md).</summary>
internal static class ShadowJson
{
    /// <summary>The largest <c>max_cost_usd_per_day</c>, for the file and for <c>Rollout.SetShadow</c> alike.</summary>
    public const double MaxCostUsdPerDay = 1_000_000;

    private static readonly string[] Fields = ["variants", "sample_rate", "max_cost_usd_per_day"];

    /// <summary>
    /// The shadow stage at <paramref name="path"/> (<c>stages[i]</c>): the stage that serves every unit the control and
    /// shadows the listed variants; null, with the problems reported, when it is invalid.
    /// </summary>
    public static StageDefinition? Read(JsonElement stage, string path, int index, IReadOnlyList<string> variants, string? control, TimeSpan? minDuration, JsonFieldReader fields)
    {
        var element = stage.GetProperty("shadow");
        var shadowPath = $"{path}.shadow";
        var before = fields.Count;
        if (index != 0)
        {
            fields.Problem($"{shadowPath}: only the first stage may be a shadow stage (it comes before any user is served a variant)");
        }

        if (stage.TryGetProperty("weights", out _))
        {
            fields.Problem($"{path}.weights: a shadow stage serves every unit the control; leave its weights out");
        }

        if (!fields.IsObject(element, shadowPath))
        {
            return null;
        }

        fields.RejectUnknown(element, shadowPath, Fields);
        var shadowed = ReadVariants(element, shadowPath, variants, control, fields);
        var sampleRate = fields.Number(element, "sample_rate", shadowPath, 0, 1, minExclusive: true) ?? ShadowStage.DefaultSampleRate;
        var maxCost = fields.Number(element, "max_cost_usd_per_day", shadowPath, 0, MaxCostUsdPerDay);
        if (fields.Count > before || control is null || !variants.Contains(control))
        {
            return null;
        }

        var weights = new Weight[variants.Count];
        weights[IndexOf(variants, control)] = Weight.All;
        return new StageDefinition([.. weights], minDuration) { Shadow = new ShadowStage(shadowed, sampleRate, maxCost) };
    }

    /// <summary>Writes <paramref name="shadow"/> as the <c>shadow</c> object of its stage.</summary>
    public static void Write(Utf8JsonWriter writer, ShadowStage shadow)
    {
        writer.WriteStartObject("shadow");
        writer.WriteStartArray("variants");
        foreach (var variant in shadow.Variants)
        {
            writer.WriteStringValue(variant);
        }

        writer.WriteEndArray();
        writer.WriteNumber("sample_rate", shadow.SampleRate);
        if (shadow.MaxCostUsdPerDay is { } cap)
        {
            writer.WriteNumber("max_cost_usd_per_day", cap);
        }

        writer.WriteEndObject();
    }

    /// <summary>Reports a plan whose shadow stage is its only stage: a shadow stage must lead to a stage that serves users.</summary>
    public static void CheckFollowed(ImmutableArray<StageDefinition> stages, JsonFieldReader fields)
    {
        if (stages.Length == 1 && stages[0].IsShadow)
        {
            fields.Problem("stages: a shadow stage must be followed by a stage that serves the variants (give their weights in stages[1])");
        }
    }

    private static ImmutableArray<string> ReadVariants(JsonElement element, string path, IReadOnlyList<string> variants, string? control, JsonFieldReader fields)
    {
        if (!element.TryGetProperty("variants", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            fields.Problem($"{path}.variants is required: a non-empty JSON array of the variants to call in shadow");
            return [];
        }

        var names = ImmutableArray.CreateBuilder<string>();
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var itemPath = $"{path}.variants[{index++}]";
            var name = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            if (name is null)
            {
                fields.Problem($"{itemPath} must be a variant's name");
            }
            else if (!variants.Contains(name))
            {
                fields.Problem($"{itemPath}: '{name}' is not one of the variants ({string.Join(", ", variants)})");
            }
            else if (name == control)
            {
                fields.Problem($"{itemPath}: '{name}' is the control, which serves every unit in a shadow stage; list the variants to test");
            }
            else if (names.Contains(name))
            {
                fields.Problem($"{itemPath}: '{name}' is listed twice");
            }
            else
            {
                names.Add(name);
            }
        }

        return names.ToImmutable();
    }

    private static int IndexOf(IReadOnlyList<string> variants, string name)
    {
        for (var i = 0; i < variants.Count; i++)
        {
            if (variants[i] == name)
            {
                return i;
            }
        }

        return -1;
    }
}
