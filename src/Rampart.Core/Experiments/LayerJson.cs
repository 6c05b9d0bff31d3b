using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Rampart.Core.Allocation;

namespace Rampart.Core.Experiments;

/// <summary>The <c>layer</c> of an experiment file: <c>{"name": "checkout", "range": [0, 50], "holdout": 5}</c> (docs/targeting.md).</summary>
internal static partial class LayerJson
{
    /// <summary>The largest holdout, in percent: a layer that holds out more is no longer testing its experiments.</summary>
    public const decimal MaxHoldoutPercent = 50;

    public static LayerMembership? Read(JsonElement root, JsonFieldReader fields)
    {
        if (!root.TryGetProperty("layer", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (!fields.IsObject(element, "layer"))
        {
            return null;
        }

        fields.RejectUnknown(element, "layer", "name", "range", "holdout");
        var before = fields.Count;
        var name = fields.String(element, "name", "layer", required: true);
        if (name is not null && !NamePattern().IsMatch(name))
        {
            fields.Problem($"layer.name '{name}' is invalid; use 1 to 64 lowercase letters, digits, '-' or '_', starting with a letter or digit");
        }

        Weight start = Weight.Zero, end = Weight.All;
        if (!element.TryGetProperty("range", out var range)
            || range.ValueKind != JsonValueKind.Array || range.GetArrayLength() != 2
            || Percent(range[0]) is not { } from || Percent(range[1]) is not { } to)
        {
            fields.Problem("layer.range is required: [start, end] in percent of the layer's units, e.g. [0, 50], each 0 to 100 with at most two decimals");
        }
        else if (from >= to)
        {
            fields.Problem($"layer.range [{Text(from)}, {Text(to)}] must start below its end");
        }
        else
        {
            (start, end) = (Weight.FromPercent(from), Weight.FromPercent(to));
        }

        var holdout = Weight.Zero;
        if (element.TryGetProperty("holdout", out var held) && held.ValueKind != JsonValueKind.Null)
        {
            if (Percent(held) is { } percent && percent <= MaxHoldoutPercent)
            {
                holdout = Weight.FromPercent(percent);
            }
            else
            {
                fields.Problem($"layer.holdout must be a percentage from 0 to {MaxHoldoutPercent} with at most two decimals");
            }
        }

        return fields.Count > before || name is null ? null : new LayerMembership(name, start, end, holdout);
    }

    public static void Write(Utf8JsonWriter writer, LayerMembership layer)
    {
        writer.WriteStartObject("layer");
        writer.WriteString("name", layer.Name);
        writer.WriteStartArray("range");
        writer.WriteNumberValue(layer.Start.Percent);
        writer.WriteNumberValue(layer.End.Percent);
        writer.WriteEndArray();
        writer.WriteNumber("holdout", layer.Holdout.Percent);
        writer.WriteEndObject();
    }

    private static decimal? Percent(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var percent) && DecimalText.IsExact(value.GetRawText(), percent)
        && percent is >= 0 and <= 100 && decimal.Round(percent, 2) == percent
            ? percent
            : null;

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^[a-z0-9][a-z0-9_-]{0,63}\z")]
    private static partial Regex NamePattern();
}
