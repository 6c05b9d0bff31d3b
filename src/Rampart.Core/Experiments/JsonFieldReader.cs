using System.Globalization;
using System.Text.Json;

namespace Rampart.Core.Experiments;

/// <summary>Reads typed fields out of JSON objects, collecting a problem (naming the field's path) for each bad one.</summary>
internal sealed class JsonFieldReader
{
    /// <summary>
    /// The most problems listed one by one. A body of a million bad fields found a million problems, each message longer
    /// than its field (a 4 MiB body was a 62 MB answer); past this many, one more line says how many were left out.
    /// </summary>
    public const int MaxListed = 100;

    private readonly List<string> problems = [];

    /// <summary>The problems found: the first <see cref="MaxListed"/>, then one line counting the rest, if any.</summary>
    public IReadOnlyList<string> Problems => Count <= MaxListed
        ? problems
        : [.. problems, $"the other {Count - MaxListed} problems are not listed; fix these first"];

    /// <summary>How many problems were found, listed or not.</summary>
    public int Count { get; private set; }

    public void Problem(string problem)
    {
        if (++Count <= MaxListed)
        {
            problems.Add(problem);
        }
    }

    public bool IsObject(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        Problem($"{path} must be a JSON object");
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
                Problem($"{field} is given twice");
            }
            else if (Array.IndexOf(known, property.Name) < 0)
            {
                Problem($"{field} is not a known field; known fields are {string.Join(", ", known)}");
            }
        }
    }

    public string? String(JsonElement obj, string name, string path, bool required)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Problem($"{Join(path, name)} is required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Problem($"{Join(path, name)} must be a string");
            return null;
        }

        var text = value.GetString()!;
        if (required && text.Length == 0)
        {
            Problem($"{Join(path, name)} must not be empty");
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
            Problem($"{Join(path, name)} must be a number {lower} to {Text(max)}");
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
            Problem($"{Join(path, name)} must be a whole number from {min} to {max}");
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
            Problem($"{Join(path, name)} '{text}' is not a duration; write e.g. 30s, 15m, 12h or 7d");
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
        Problem($"{Join(path, name)} '{text}' is invalid; use one of {string.Join(", ", names)}");
        return null;
    }

    public static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    public static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}
