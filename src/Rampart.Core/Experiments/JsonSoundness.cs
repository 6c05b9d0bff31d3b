using System.Text.Json;

namespace Rampart.Core.Experiments;

/// <summary>
/// What System.Text.Json parses but Rampart cannot use: an object giving a property twice (which value would count?) and a
/// string escaping half a UTF-16 surrogate pair (<c>"\ud800"</c>, not text in any encoding). The server checks every body
/// with it, and the experiment file's reader checks a variant's <c>params</c> (kept as given) with it.
/// </summary>
public static class JsonSoundness
{
    /// <summary>
    /// The first such problem under <paramref name="element"/>: the field's path (<c>messages[0].content</c>; a
    /// <paramref name="path"/> of <c>body</c> is left off) and what is wrong with it, to follow the path in a message
    /// (<c>is given twice; give each property once</c>); null when there is none.
    /// </summary>
    public static (string Field, string Problem)? Problem(JsonElement element, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
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

                    var field = path == "body" ? name : $"{path}.{name}";
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

    private static (string Field, string Problem) Duplicate(string field) => (field, "is given twice; give each property once");

    /// <summary>What is wrong with a field holding <paramref name="what"/> (a string, a property name) with half a surrogate pair.</summary>
    public static (string Field, string Problem) LoneSurrogate(string field, string what) =>
        (field, $"holds {what} with half a UTF-16 surrogate pair (an escape such as \\ud800 without its partner), which is not text; send valid Unicode");
}
