using System.Text.Json;
using Rampart.Core.Events;

namespace Rampart.Server.Http;

/// <summary>
/// Reads a JSON request body's fields, collecting a <see cref="FieldProblem"/> for every one that is missing, of the
/// wrong type or out of range, so a 400 lists them all and names each.
/// </summary>
internal sealed class BodyFields
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    private BodyFields(JsonElement root) => Root = root;

    /// <summary>The body's JSON object.</summary>
    public JsonElement Root { get; }

    /// <summary>The problems found so far.</summary>
    public List<FieldProblem> Problems { get; } = [];

    /// <summary>True when no problem was found.</summary>
    public bool IsValid => Problems.Count == 0;

    /// <summary>Parses <paramref name="body"/> as a JSON object; null with <paramref name="problem"/> set when it is not one.</summary>
    public static BodyFields? Parse(byte[] body, out FieldProblem? problem, out JsonDocument? document, bool emptyIsObject = false)
    {
        problem = null;
        document = null;
        if (body.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            if (emptyIsObject)
            {
                document = JsonDocument.Parse("{}");
                return new BodyFields(document.RootElement);
            }

            problem = new FieldProblem("body", "'body' is empty; send a JSON object.");
            return null;
        }

        if (!System.Text.Unicode.Utf8.IsValid(body))
        {
            problem = new FieldProblem("body", "'body' is not valid UTF-8.");
            return null;
        }

        try
        {
            document = JsonDocument.Parse(body, Options);
        }
        catch (JsonException e)
        {
            problem = new FieldProblem("body", $"'body' is not valid UTF-8 JSON (line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}).");
            return null;
        }

        if (JsonInput.Problem(document.RootElement) is { } unusable)
        {
            problem = unusable;
            document.Dispose();
            document = null;
            return null;
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            problem = new FieldProblem("body", $"'body' must be a JSON object, not {Kind(document.RootElement.ValueKind)}.");
            document.Dispose();
            document = null;
            return null;
        }

        return new BodyFields(document.RootElement);
    }

    /// <summary>Adds a problem for every field not in <paramref name="known"/>.</summary>
    public void RejectUnknown(params string[] known)
    {
        foreach (var property in Root.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                Problems.Add(new FieldProblem(property.Name, $"'{property.Name}' is not a field of this request; its fields are {string.Join(", ", known)}."));
            }
        }
    }

    /// <summary>A string field; null (with a problem when <paramref name="required"/>) when absent.</summary>
    public string? String(string name, bool required, int maxLength = 1024, bool allowEmpty = false)
    {
        if (!Root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Problems.Add(new FieldProblem(name, $"'{name}' is required (a string)."));
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Problems.Add(new FieldProblem(name, $"'{name}' must be a string, not {Kind(value.ValueKind)}."));
            return null;
        }

        var text = value.GetString()!;
        if (text.Length == 0 && !allowEmpty)
        {
            Problems.Add(new FieldProblem(name, $"'{name}' must not be empty."));
            return null;
        }

        if (text.Length > maxLength)
        {
            Problems.Add(new FieldProblem(name, $"'{name}' is longer than {maxLength} characters."));
            return null;
        }

        return text;
    }

    /// <summary>
    /// A finite number (true/false read as 1/0 when <paramref name="allowBoolean"/>), within the range Core's
    /// <see cref="EventNumberRules"/> gives <paramref name="range"/> when one is given; null when absent.
    /// </summary>
    public double? Number(string name, bool required, bool allowBoolean = false, EventNumber? range = null)
    {
        if (!Root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Problems.Add(new FieldProblem(name, $"'{name}' is required (a finite number)."));
            }

            return null;
        }

        if (allowBoolean && value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.ValueKind == JsonValueKind.True ? 1 : 0;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number))
        {
            if (range is { } kind && !EventNumberRules.IsValid(kind, number))
            {
                Problems.Add(new FieldProblem(name, $"'{name}' must be {EventNumberRules.Expected(kind)}{(allowBoolean ? " (or true/false)" : "")}, not {value.GetRawText()}."));
                return null;
            }

            return number;
        }

        Problems.Add(new FieldProblem(name, $"'{name}' must be a finite number{(allowBoolean ? " (or true/false)" : "")}, not {Describe(value)}."));
        return null;
    }

    /// <summary>A boolean field, or <paramref name="fallback"/> when absent.</summary>
    public bool Boolean(string name, bool fallback)
    {
        if (!Root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return fallback;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        Problems.Add(new FieldProblem(name, $"'{name}' must be true or false, not {Kind(value.ValueKind)}."));
        return fallback;
    }

    /// <summary>A timestamp field (ISO 8601), or null when absent.</summary>
    public DateTimeOffset? Timestamp(string name)
    {
        if (!Root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var when))
        {
            return when;
        }

        Problems.Add(new FieldProblem(name, $"'{name}' must be an ISO 8601 timestamp such as 2026-11-01T10:00:00Z."));
        return null;
    }

    /// <summary>A JSON object field; null (with a problem when <paramref name="required"/>) when absent.</summary>
    public JsonElement? Object(string name, bool required)
    {
        if (!Root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Problems.Add(new FieldProblem(name, $"'{name}' is required (a JSON object)."));
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            Problems.Add(new FieldProblem(name, $"'{name}' must be a JSON object, not {Kind(value.ValueKind)}."));
            return null;
        }

        return value;
    }

    /// <summary>The JSON kind in words.</summary>
    public static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string Describe(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? $"{value.GetRawText()} (out of range)" : Kind(value.ValueKind);
}
