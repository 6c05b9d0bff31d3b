using System.Globalization;
using System.Text.Json;

namespace Rampart.Core.Experiments;

/// <summary>Reads typed fields out of JSON objects, collecting a problem (naming the field's path) for each bad one.</summary>
internal sealed class JsonFieldReader
{
    private readonly List<string> problems = [];

    public IReadOnlyList<string> Problems => problems;

    public void Problem(string problem) => problems.Add(problem);

    public bool IsObject(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        problems.Add($"{path} must be a JSON object");
        return false;
    }

    public void RejectUnknown(JsonElement obj, string path, params string[] known)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in obj.EnumerateObject())
        {
            var field = Join(path, property.Name);
            if (!seen.Add(property.Name))
            {
                problems.Add($"{field} is given twice");
            }
            else if (Array.IndexOf(known, property.Name) < 0)
            {
                problems.Add($"{field} is not a known field; known fields are {string.Join(", ", known)}");
            }
        }
    }

    public string? String(JsonElement obj, string name, string path, bool required)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                problems.Add($"{Join(path, name)} is required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            problems.Add($"{Join(path, name)} must be a string");
            return null;
        }

        var text = value.GetString()!;
        if (required && text.Length == 0)
        {
            problems.Add($"{Join(path, name)} must not be empty");
            return null;
        }

        return text;
    }

    public double? Number(JsonElement obj, string name, string path, double min, double max, bool minExclusive = false)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number)
            || number > max || number < min || (minExclusive && number == min))
        {
            var lower = minExclusive ? $"above {Text(min)}" : $"from {Text(min)}";
            problems.Add($"{Join(path, name)} must be a number {lower} to {Text(max)}");
            return null;
        }

        return number;
    }

    public int? Integer(JsonElement obj, string name, string path, int min, int max)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number) || number < min || number > max)
        {
            problems.Add($"{Join(path, name)} must be a whole number from {min} to {max}");
            return null;
        }

        return number;
    }

    public TimeSpan? Duration(JsonElement obj, string name, string path)
    {
        var text = String(obj, name, path, required: false);
        if (text is null)
        {
            return null;
        }

        if (!DurationText.TryParse(text, out var duration))
        {
            problems.Add($"{Join(path, name)} '{text}' is not a duration; write e.g. 30s, 15m, 12h or 7d");
            return null;
        }

        return duration;
    }

    public TEnum? Choice<TEnum>(JsonElement obj, string name, string path)
        where TEnum : struct, Enum
    {
        var text = String(obj, name, path, required: false);
        if (text is null)
        {
            return null;
        }

        foreach (var choice in Enum.GetValues<TEnum>())
        {
            if (string.Equals(choice.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                return choice;
            }
        }

        var names = Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant());
        problems.Add($"{Join(path, name)} '{text}' is invalid; use one of {string.Join(", ", names)}");
        return null;
    }

    public static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    public static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}
