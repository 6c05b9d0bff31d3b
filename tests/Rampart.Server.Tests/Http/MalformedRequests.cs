using System.Text;
using System.Text.Json.Nodes;

namespace Rampart.Server.Tests.Http;

/// <summary>
/// Generates invalid requests from a valid body, seeded: malformed JSON, wrong types, missing required fields, unknown
/// fields, NaN and negative numbers, invalid UTF-8, non-object bodies and bodies over the size limit. Every one is
/// invalid by construction.
/// </summary>
public sealed class MalformedRequests(int seed, string validBody, IReadOnlyDictionary<string, JsonNode?[]> badValues, IReadOnlyList<string> required, int maxBodyBytes, bool unknownFieldsAllowed = false)
{
    private static readonly string[] NotObjects = ["[]", "42", "\"text\"", "null", "true", "[{}]"];
    private readonly Random random = new(seed);

    /// <summary>The next invalid body, and what was done to it.</summary>
    public (byte[] Body, string What) Next()
    {
        var valid = JsonNode.Parse(validBody)!.AsObject();
        switch (random.Next(8))
        {
            case 0:
                var text = Encoding.UTF8.GetBytes(validBody.Trim());
                return (text[..random.Next(1, text.Length - 1)], "truncated");
            case 1 when required.Count > 0:
                var missing = required[random.Next(required.Count)];
                valid.Remove(missing);
                return (Bytes(valid), $"without {missing}");
            case 2:
                var field = badValues.Keys.ElementAt(random.Next(badValues.Count));
                var values = badValues[field];
                valid[field] = values[random.Next(values.Length)]?.DeepClone();
                return (Bytes(valid), $"{field} = {valid[field]?.ToJsonString() ?? "null"}");
            case 3:
                var json = Bytes(valid);
                var quote = Array.IndexOf(json, (byte)'"', random.Next(json.Length / 2));
                var at = quote < 0 ? json.Length / 2 : quote + 1;
                return ([.. json[..at], 0xFF, 0xFE, (byte)random.Next(0x80, 0xC0), .. json[at..]], "invalid UTF-8");
            case 4 when !unknownFieldsAllowed:
                valid[$"unknown_{random.Next(1000)}"] = random.Next();
                return (Bytes(valid), "unknown field");
            case 5:
                return (Encoding.UTF8.GetBytes(NotObjects[random.Next(NotObjects.Length)]), "not an object");
            case 6:
                var padded = Encoding.UTF8.GetBytes(validBody + new string(' ', maxBodyBytes + 1 - Encoding.UTF8.GetByteCount(validBody) + random.Next(100)));
                return (padded, "over the size limit");
            default:
                var number = badValues.Keys.ElementAt(random.Next(badValues.Count));
                var raw = valid.ToJsonString();
                var spliced = raw.Replace($"\"{number}\":", $"\"{number}\":{(random.Next(2) == 0 ? "NaN" : "-Infinity")},\"x{random.Next()}\":", StringComparison.Ordinal);
                return (Encoding.UTF8.GetBytes(spliced == raw ? raw[..^1] : spliced), "NaN literal");
        }
    }

    private static byte[] Bytes(JsonObject body) => Encoding.UTF8.GetBytes(body.ToJsonString());
}
