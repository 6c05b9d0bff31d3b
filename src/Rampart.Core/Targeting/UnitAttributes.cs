using System.Text.Json;

namespace Rampart.Core.Targeting;

/// <summary>
/// What a caller says about a unit (docs/targeting.md): at most <see cref="MaxAttributes"/> names, each
/// <see cref="MaxNameLength"/> characters at most, with a string (at most <see cref="MaxTextLength"/> characters), a finite
/// number or a boolean. Looked up by a short scan, which beats hashing for a handful of names. Immutable.
/// </summary>
public sealed class UnitAttributes
{
    /// <summary>The most attributes a call may send.</summary>
    public const int MaxAttributes = 32;

    /// <summary>The longest attribute name.</summary>
    public const int MaxNameLength = 64;

    /// <summary>The longest string value.</summary>
    public const int MaxTextLength = 256;

    private readonly string[] names;
    private readonly AttributeValue[] values;

    private UnitAttributes(string[] names, AttributeValue[] values)
    {
        this.names = names;
        this.values = values;
    }

    /// <summary>No attributes.</summary>
    public static UnitAttributes None { get; } = new([], []);

    /// <summary>How many attributes there are.</summary>
    public int Count => names.Length;

    /// <summary>The attributes' names, in the order given.</summary>
    public IReadOnlyList<string> Names => names;

    /// <summary>The value of <paramref name="name"/>, if given.</summary>
    public bool TryGet(string name, out AttributeValue value)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                value = values[i];
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Attributes from name–value pairs.</summary>
    /// <exception cref="ArgumentException">when a pair breaks a bound (docs/targeting.md); the message names it.</exception>
    public static UnitAttributes From(IEnumerable<KeyValuePair<string, AttributeValue>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var list = pairs.ToList();
        var problem = Check(list.Select(p => p.Key).ToList(), list.Select(p => p.Value).ToList(), "attributes");
        return problem is null ? new UnitAttributes([.. list.Select(p => p.Key)], [.. list.Select(p => p.Value)]) : throw new ArgumentException(problem, nameof(pairs));
    }

    /// <summary>
    /// Reads a JSON object of attributes; null (with <paramref name="problem"/> naming the field under <paramref name="path"/>)
    /// when it is not an object, holds a value that is not a string, finite number or boolean, or breaks a bound.
    /// </summary>
    public static UnitAttributes? Read(JsonElement element, string path, out string? problem)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            problem = null;
            return None;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            problem = $"{path} must be a JSON object of attributes, e.g. {{\"plan\": \"pro\", \"country\": \"FR\"}}";
            return null;
        }

        var names = new List<string>();
        var values = new List<AttributeValue>();
        foreach (var property in element.EnumerateObject())
        {
            // An escape such as \ud800 (half a surrogate pair) is JSON but not text: Name and GetString throw on it.
            if (!TryName(property, out var name))
            {
                problem = $"{path}: an attribute's name must be valid Unicode (an escape such as \\ud800 needs its partner)";
                return null;
            }

            var value = property.Value;
            string? text = null;
            if (value.ValueKind == JsonValueKind.String && !TryString(value, out text))
            {
                problem = $"{path}.{name} must be valid Unicode (an escape such as \\ud800 needs its partner)";
                return null;
            }

            AttributeValue? read = value.ValueKind switch
            {
                JsonValueKind.String => AttributeValue.Of(text!),
                JsonValueKind.Number when value.TryGetDouble(out var number) && double.IsFinite(number) => AttributeValue.Of(number),
                JsonValueKind.True => AttributeValue.Of(true),
                JsonValueKind.False => AttributeValue.Of(false),
                _ => null,
            };
            if (read is null)
            {
                problem = $"{path}.{name} must be a string, a finite number or a boolean";
                return null;
            }

            names.Add(name);
            values.Add(read.Value);
            if (names.Count > MaxAttributes)
            {
                break;
            }
        }

        problem = Check(names, values, path);
        return problem is null ? new UnitAttributes([.. names], [.. values]) : null;
    }

    private static bool TryName(JsonProperty property, out string name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = "";
            return false;
        }
    }

    private static bool TryString(JsonElement value, out string? text)
    {
        try
        {
            text = value.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            text = null;
            return false;
        }
    }

    private static string? Check(List<string> names, List<AttributeValue> values, string path)
    {
        if (names.Count > MaxAttributes)
        {
            return $"{path} has more than {MaxAttributes} attributes";
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            if (name.Length is 0 or > MaxNameLength)
            {
                return $"{path}: an attribute's name must be 1 to {MaxNameLength} characters";
            }

            if (!seen.Add(name))
            {
                return $"{path}.{name} is given twice";
            }

            if (values[i].Kind == AttributeKind.Text && values[i].Text!.Length > MaxTextLength)
            {
                return $"{path}.{name} is longer than {MaxTextLength} characters";
            }
        }

        return null;
    }

    /// <summary>
    /// The attributes among <paramref name="names"/> that were given, as the JSON object an exposure stores
    /// (docs/targeting.md), or null when none was.
    /// </summary>
    public string? ToJson(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count == 0 || this.names.Length == 0)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Events.EventLineWriter.Encoder }))
        {
            var any = false;
            foreach (var name in names)
            {
                if (!TryGet(name, out var value))
                {
                    continue;
                }

                if (!any)
                {
                    writer.WriteStartObject();
                    any = true;
                }

                writer.WritePropertyName(name);
                switch (value.Kind)
                {
                    case AttributeKind.Text: writer.WriteStringValue(value.Text); break;
                    case AttributeKind.Number: writer.WriteNumberValue(value.Number); break;
                    default: writer.WriteBooleanValue(value.Number != 0); break;
                }
            }

            if (!any)
            {
                return null;
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
