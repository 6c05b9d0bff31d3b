using System.Collections.Immutable;
using System.Text.Json;
using Rampart.Core.Experiments;

namespace Rampart.Core.Targeting;

/// <summary>
/// The <c>targeting</c> of an experiment file (docs/targeting.md): <c>{"all": [...]}</c> or <c>{"any": [...]}</c> of
/// conditions such as <c>{"attribute": "plan", "in": ["pro", "team"]}</c> and nested groups, every problem named by its path.
/// </summary>
public static class TargetingJson
{
    /// <summary>The deepest nesting of groups.</summary>
    public const int MaxDepth = 4;

    /// <summary>The most conditions in one targeting.</summary>
    public const int MaxConditions = 64;

    /// <summary>The longest in / not_in list.</summary>
    public const int MaxListLength = 1000;

    private static readonly (string Name, TargetingOperator Operator)[] Operators =
    [
        ("eq", TargetingOperator.Eq), ("in", TargetingOperator.In), ("not_in", TargetingOperator.NotIn), ("exists", TargetingOperator.Exists),
        ("gt", TargetingOperator.Gt), ("lt", TargetingOperator.Lt), ("semver_gte", TargetingOperator.SemverGte), ("semver_lt", TargetingOperator.SemverLt),
    ];

    private static readonly string OperatorList = string.Join(", ", Operators.Select(o => o.Name));

    /// <summary>Reads a targeting rule; throws listing every problem, each naming its field.</summary>
    /// <exception cref="ExperimentValidationException">when <paramref name="json"/> is not JSON, holds a string that is not valid Unicode, or is not a valid targeting.</exception>
    public static TargetingRule Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ExperimentValidationException($"targeting is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var fields = new JsonFieldReader();
            TargetingRule? rule;
            try
            {
                rule = Read(document.RootElement, "targeting", fields);
            }
            catch (InvalidOperationException e)
            {
                // GetString of an escape such as \ud800 (half a surrogate pair): JSON, but not text.
                throw new ExperimentValidationException(
                    "targeting holds a string with half a UTF-16 surrogate pair (an escape such as \\ud800 without its partner); send valid Unicode", e);
            }

            return fields.Count == 0 && rule is not null ? rule : throw new ExperimentValidationException(fields.Problems);
        }
    }

    /// <summary>The name of <paramref name="op"/> in the format.</summary>
    public static string NameOf(TargetingOperator op) => Operators.First(o => o.Operator == op).Name;

    /// <summary><paramref name="rule"/> as compact JSON text.</summary>
    public static string Text(TargetingRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Events.EventLineWriter.Encoder }))
        {
            Write(writer, rule);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Writes <paramref name="rule"/> as its JSON form.</summary>
    public static void Write(Utf8JsonWriter writer, TargetingRule rule)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(rule);
        writer.WriteStartObject();
        switch (rule)
        {
            case TargetingGroup group:
                writer.WriteStartArray(group.All ? "all" : "any");
                foreach (var inner in group.Rules)
                {
                    Write(writer, inner);
                }

                writer.WriteEndArray();
                break;
            case TargetingCondition condition:
                writer.WriteString("attribute", condition.Attribute);
                writer.WritePropertyName(NameOf(condition.Operator));
                if (condition.Operator is TargetingOperator.In or TargetingOperator.NotIn)
                {
                    writer.WriteStartArray();
                    foreach (var value in condition.Values)
                    {
                        WriteValue(writer, value);
                    }

                    writer.WriteEndArray();
                }
                else
                {
                    WriteValue(writer, condition.Values[0]);
                }

                break;
        }

        writer.WriteEndObject();
    }

    internal static TargetingRule? Read(JsonElement element, string path, JsonFieldReader fields)
    {
        var conditions = 0;
        return ReadRule(element, path, fields, 1, ref conditions, root: true);
    }

    private static TargetingRule? ReadRule(JsonElement element, string path, JsonFieldReader fields, int depth, ref int conditions, bool root)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            fields.Problem(root
                ? $"{path} must be an object with \"all\" or \"any\": a list of conditions such as {{\"attribute\": \"plan\", \"in\": [\"pro\"]}}"
                : $"{path} must be a condition such as {{\"attribute\": \"plan\", \"in\": [\"pro\"]}} or a group {{\"all\": [...]}} / {{\"any\": [...]}}");
            return null;
        }

        var isGroup = element.TryGetProperty("all", out _) || element.TryGetProperty("any", out _);
        if (root && !isGroup)
        {
            fields.Problem($"{path} must be an object with \"all\" or \"any\": a list of conditions");
            return null;
        }

        return isGroup ? ReadGroup(element, path, fields, depth, ref conditions) : ReadCondition(element, path, fields, ref conditions);
    }

    private static TargetingGroup? ReadGroup(JsonElement element, string path, JsonFieldReader fields, int depth, ref int conditions)
    {
        var names = element.EnumerateObject().Select(p => p.Name).ToList();
        if (names.Count != 1)
        {
            fields.Problem($"{path} must have exactly one of \"all\" or \"any\"; it has {string.Join(", ", names.Select(n => $"\"{n}\""))}");
            return null;
        }

        if (depth > MaxDepth)
        {
            fields.Problem($"{path} nests groups deeper than {MaxDepth} levels");
            return null;
        }

        var all = names[0] == "all";
        var list = element.GetProperty(names[0]);
        var listPath = $"{path}.{names[0]}";
        if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            fields.Problem($"{listPath} must be a non-empty array of conditions");
            return null;
        }

        var rules = ImmutableArray.CreateBuilder<TargetingRule>();
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            if (ReadRule(item, $"{listPath}[{index++}]", fields, depth + 1, ref conditions, root: false) is { } rule)
            {
                rules.Add(rule);
            }
        }

        return rules.Count == list.GetArrayLength() ? new TargetingGroup(all, rules.ToImmutable()) : null;
    }

    private static TargetingCondition? ReadCondition(JsonElement element, string path, JsonFieldReader fields, ref int conditions)
    {
        if (++conditions > MaxConditions)
        {
            if (conditions == MaxConditions + 1)
            {
                fields.Problem($"{path}: targeting has more than {MaxConditions} conditions");
            }

            return null;
        }

        if (element.EnumerateObject().Count(p => p.Name == "attribute") > 1)
        {
            // Reading it would take the last one given and drop the others without a word.
            fields.Problem($"{path}.attribute is given twice");
            return null;
        }

        var attribute = fields.String(element, "attribute", path, required: true);
        var given = element.EnumerateObject().Where(p => p.Name != "attribute").ToList();
        var unknown = given.Where(p => !Operators.Any(o => o.Name == p.Name)).ToList();
        if (unknown.Count > 0)
        {
            fields.Problem($"{path}: unknown operator '{unknown[0].Name}'; use one of {OperatorList}");
            return null;
        }

        if (given.Count != 1)
        {
            fields.Problem(given.Count == 0
                ? $"{path} needs an operator: one of {OperatorList}"
                : $"{path} needs exactly one operator; it has {given.Count} ({string.Join(", ", given.Select(p => p.Name))})");
            return null;
        }

        if (attribute is null)
        {
            return null;
        }

        if (attribute.Length > UnitAttributes.MaxNameLength)
        {
            fields.Problem($"{path}.attribute is longer than {UnitAttributes.MaxNameLength} characters");
            return null;
        }

        var op = Operators.First(o => o.Name == given[0].Name);
        var value = given[0].Value;
        var valuePath = $"{path}.{op.Name}";
        var values = ReadValues(op.Operator, value, valuePath, fields);
        return values is null ? null : new TargetingCondition(attribute, op.Operator, values.Value);
    }

    private static ImmutableArray<AttributeValue>? ReadValues(TargetingOperator op, JsonElement value, string path, JsonFieldReader fields)
    {
        switch (op)
        {
            case TargetingOperator.In or TargetingOperator.NotIn:
                if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() is 0 or > MaxListLength)
                {
                    fields.Problem($"{path} must be a non-empty array (at most {MaxListLength}) of strings, numbers or booleans");
                    return null;
                }

                var list = ImmutableArray.CreateBuilder<AttributeValue>();
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (Scalar(item) is not { } scalar)
                    {
                        fields.Problem($"{path}[{index}] {ScalarProblem(item)}");
                        return null;
                    }

                    list.Add(scalar);
                    index++;
                }

                return list.ToImmutable();
            case TargetingOperator.Eq:
                if (Scalar(value) is { } one)
                {
                    return [one];
                }

                fields.Problem($"{path} {ScalarProblem(value)}");
                return null;
            case TargetingOperator.Exists:
                if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    return [AttributeValue.Of(value.ValueKind == JsonValueKind.True)];
                }

                fields.Problem($"{path} must be true or false");
                return null;
            case TargetingOperator.Gt or TargetingOperator.Lt:
                if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number))
                {
                    return [AttributeValue.Of(number)];
                }

                fields.Problem($"{path} must be a finite number");
                return null;
            default:
                var text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                if (SemanticVersion.TryParse(text, out _))
                {
                    return [AttributeValue.Of(text!)];
                }

                fields.Problem($"{path} must be a version string such as \"2.4.0\"{(text is null ? "" : $", not '{Shorten(text)}'")}");
                return null;
        }
    }

    private static AttributeValue? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String when value.GetString()!.Length <= UnitAttributes.MaxTextLength => AttributeValue.Of(value.GetString()!),
        JsonValueKind.Number when value.TryGetDouble(out var n) && double.IsFinite(n) => AttributeValue.Of(n),
        JsonValueKind.True => AttributeValue.Of(true),
        JsonValueKind.False => AttributeValue.Of(false),
        _ => null,
    };

    // A string past the attributes' bound could never match (a unit's value is refused beyond it): say so, not "must be a string".
    private static string ScalarProblem(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? $"is longer than {UnitAttributes.MaxTextLength} characters, the longest an attribute's value may be"
        : "must be a string, a finite number or a boolean";

    private static void WriteValue(Utf8JsonWriter writer, AttributeValue value)
    {
        switch (value.Kind)
        {
            case AttributeKind.Text: writer.WriteStringValue(value.Text); break;
            case AttributeKind.Number: writer.WriteNumberValue(value.Number); break;
            default: writer.WriteBooleanValue(value.Number != 0); break;
        }
    }

    private static string Shorten(string text) => text.Length <= 32 ? text : text[..32] + "…";
}
