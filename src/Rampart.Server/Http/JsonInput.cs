using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rampart.Server.Http;

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

    /// <summary>
    /// The same check of a parsed <see cref="JsonNode"/> (which materialises it, as relaying it would anyway). The gateway
    /// runs it on every call, so the walk allocates nothing while the body is sound: a problem's path is put together
    /// only once one is found, on the way back up.
    /// </summary>
    public static FieldProblem? Problem(JsonNode? node, string path)
    {
        if (Find(node) is not { } found)
        {
            return null;
        }

        var field = found.Path.Count == 0 ? path : path == "body" ? Path(found.Path) : $"{path}.{Path(found.Path)}";
        return found.Duplicate
            ? new FieldProblem(field, $"'{field}' gives a property twice; give each property once.")
            : LoneSurrogate(field, found.What);
    }

    // The first problem under node, with its path segments innermost last (filled in while returning).
    private static NodeProblem? Find(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                try
                {
                    foreach (var (name, value) in obj)
                    {
                        if (Find(value) is { } problem)
                        {
                            problem.Path.Insert(0, name);
                            return problem;
                        }
                    }
                }
                catch (ArgumentException)
                {
                    return new NodeProblem(Duplicate: true, "");
                }
                catch (InvalidOperationException)
                {
                    return new NodeProblem(Duplicate: false, "a property name");
                }

                return null;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (Find(array[i]) is { } problem)
                    {
                        problem.Path.Insert(0, $"[{i}]");
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
                    return new NodeProblem(Duplicate: false, "a string");
                }

            default:
                return null;
        }
    }

    // messages, [0], content → messages[0].content
    private static string Path(List<string> segments)
    {
        var text = new System.Text.StringBuilder();
        foreach (var segment in segments)
        {
            if (text.Length > 0 && segment[0] != '[')
            {
                text.Append('.');
            }

            text.Append(segment);
        }

        return text.ToString();
    }

    private sealed record NodeProblem(bool Duplicate, string What)
    {
        public List<string> Path { get; } = [];
    }

    private static string Join(string path, string name) => path == "body" ? name : $"{path}.{name}";

    private static FieldProblem Duplicate(string field) =>
        new(field, $"'{field}' is given twice; give each property once.");

    private static FieldProblem LoneSurrogate(string field, string what) =>
        new(field, $"'{field}' holds {what} with half a UTF-16 surrogate pair (an escape such as \\ud800 without its partner), which is not text; send valid Unicode.");
}
