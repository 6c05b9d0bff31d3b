using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Rampart.Core.Allocation;

namespace Rampart.Core.Experiments;

/// <summary>Reads and writes a stage's weights: a JSON object (or <c>a=60,b=40</c> text) giving every variant a percentage.</summary>
public static class StageWeights
{
    /// <summary>Parses <c>control=60,variant_a=20,variant_b=20</c> into weights in listed order (a percentage may have an exponent: <c>6e1</c>).</summary>
    /// <exception cref="ArgumentNullException">when <paramref name="text"/> or <paramref name="variants"/> is null.</exception>
    /// <exception cref="ExperimentValidationException">
    /// when a name is not one of <paramref name="variants"/> or is given twice, a variant has no weight, a percentage is not 0 to 100 with at
    /// most two decimals, or the weights do not sum to 100%; the message lists every problem.
    /// </exception>
    public static ImmutableArray<Weight> Parse(string text, IReadOnlyList<string> variants, string field = "weights")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(variants);
        var given = new List<(string Name, decimal? Percent)>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
            decimal? percent = pair.Length == 2
                && decimal.TryParse(pair[1], NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var p)
                && DecimalText.IsExact(pair[1], p)
                ? p
                : null;
            given.Add((pair[0], percent));
        }

        var fields = new JsonFieldReader();
        var weights = Check(given, field, variants, fields);
        return weights ?? throw new ExperimentValidationException(fields.Problems);
    }

    internal static ImmutableArray<Weight>? Read(JsonElement element, string path, IReadOnlyList<string> variants, JsonFieldReader fields)
    {
        if (!fields.IsObject(element, path))
        {
            return null;
        }

        var given = new List<(string Name, decimal? Percent)>();
        foreach (var property in element.EnumerateObject())
        {
            var value = property.Value;
            given.Add((property.Name, value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var p) && DecimalText.IsExact(value.GetRawText(), p) ? p : null));
        }

        return Check(given, path, variants, fields);
    }

    private static ImmutableArray<Weight>? Check(List<(string Name, decimal? Percent)> given, string path, IReadOnlyList<string> variants, JsonFieldReader fields)
    {
        var before = fields.Count;
        var weights = new Weight[variants.Count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        decimal sum = 0;
        foreach (var (name, percent) in given)
        {
            var field = $"{path}.{name}";
            var index = IndexOf(variants, name);
            if (!seen.Add(name))
            {
                fields.Problem($"{field} is given twice");
            }
            else if (index < 0)
            {
                fields.Problem($"{field}: '{name}' is not a variant; the variants are {string.Join(", ", variants)}");
            }
            else if (percent is not { } p || !Weight.TryFromPercent(p, out weights[index]))
            {
                fields.Problem($"{field} must be a percentage from 0 to 100 with at most two decimals");
            }
            else
            {
                sum += p;
            }
        }

        foreach (var variant in variants.Where(v => !seen.Contains(v)))
        {
            fields.Problem($"{path}.{variant} is missing; give every variant a weight (0 is allowed)");
        }

        if (fields.Count == before && sum != 100m)
        {
            fields.Problem($"{path} sums to {ExperimentDefinitionJson.Percent(sum)}; weights must sum to 100");
        }

        return fields.Count == before ? [.. weights] : null;
    }

    /// <summary>Writes weights as a JSON object property, variants in listed order.</summary>
    /// <exception cref="ArgumentNullException">when <paramref name="writer"/>, <paramref name="variants"/> or <paramref name="weights"/> is null.</exception>
    public static void Write(Utf8JsonWriter writer, string property, IReadOnlyList<string> variants, IReadOnlyList<Weight> weights)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(weights);
        writer.WriteStartObject(property);
        for (var i = 0; i < variants.Count; i++)
        {
            writer.WriteNumber(variants[i], weights[i].Percent);
        }

        writer.WriteEndObject();
    }

    /// <summary>Formats weights as <c>control=60, variant_a=20, variant_b=20</c>.</summary>
    public static string Format(IReadOnlyList<string> variants, IEnumerable<Weight> weights) =>
        string.Join(", ", variants.Zip(weights, (v, w) => $"{v}={w}"));

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
