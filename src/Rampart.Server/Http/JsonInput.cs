using System.Text.Json;
using System.Text.Json.Nodes;
using Rampart.Core.Experiments;

namespace Rampart.Server.Http;

/// <summary>
/// What System.Text.Json parses but the server cannot use: an object giving a property twice (which value would count?)
/// and a string escaping half a UTF-16 surrogate pair (<c>"\ud800"</c>, not text in any encoding). Found once, where a
/// body is parsed, so a request holding either is a 400 naming the field, not a failure deep inside.
/// </summary>
internal static class JsonInput
{
    /// <summary>The first such problem of a parsed body, naming its path (<c>messages[0].content</c>); null when there is none.</summary>
    public static FieldProblem? Problem(JsonElement element, string path = "body") =>
        JsonSoundness.Problem(element, path) is var (field, problem) ? new FieldProblem(field, $"'{field}' {problem}.") : null;

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
        return new FieldProblem(field, found.Duplicate
            ? $"'{field}' gives a property twice; give each property once."
            : $"'{field}' {JsonSoundness.LoneSurrogate(field, found.What).Problem}.");
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
}
