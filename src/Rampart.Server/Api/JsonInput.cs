using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rampart.Server.Api;

/// <summary>
/// What System.Text.Json parses but the server cannot use: an object giving a property twice (which value would count?)
/// and a string escaping half a UTF-16 surrogate pair (<c>"\ud800"</c>, not text in any encoding). Found once, where a
/// body is parsed, so a request holding either is a 400 naming the field, not a failure deep inside.
/// </summary>
internal static class JsonInput
{
    /// <summary>The first such problem of a parsed body, naming its path (<c>messages[0].content</c>); null when there is none.</summary>
    public static FieldProblem? Problem(JsonElement element, string path = "body")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                HashSet<string>? seen = null;
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return LoneSurrogate(path, "a property name");
                    }

                    var field = Join(path, name);
                    if (!(seen ??= new HashSet<string>(StringComparer.Ordinal)).Add(name))
                    {
                        return Duplicate(field);
                    }

                    if (Problem(property.Value, field) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Problem(item, $"{path}[{index++}]") is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            case JsonValueKind.String:
                try
                {
                    _ = element.GetString();
                    return null;
                }
                catch (InvalidOperationException)
                {
                    return LoneSurrogate(path, "a string");
                }

            default:
                return null;
        }
    }

    /// <summary>The same check of a parsed <see cref="JsonNode"/> (which materialises it, as relaying it would anyway).</summary>
    public static FieldProblem? Problem(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                List<KeyValuePair<string, JsonNode?>> properties;
                try
                {
                    properties = [.. obj];
                }
                catch (ArgumentException)
                {
                    return new FieldProblem(path, $"'{path}' gives a property twice; give each property once.");
                }
                catch (InvalidOperationException)
                {
                    return LoneSurrogate(path, "a property name");
                }

                foreach (var (name, value) in properties)
                {
                    if (Problem(value, Join(path, name)) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (Problem(array[i], $"{path}[{i}]") is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                try
                {
                    _ = value.GetValue<string>();
                    return null;
                }
                catch (InvalidOperationException)
                {
                    return LoneSurrogate(path, "a string");
                }

            default:
                return null;
        }
    }

    private static string Join(string path, string name) => path == "body" ? name : $"{path}.{name}";

    private static FieldProblem Duplicate(string field) =>
        new(field, $"'{field}' is given twice; give each property once.");

    private static FieldProblem LoneSurrogate(string field, string what) =>
        new(field, $"'{field}' holds {what} with half a UTF-16 surrogate pair (an escape such as \\ud800 without its partner), which is not text; send valid Unicode.");
}
