using System.Text.Json;

namespace Rampart.Llm.Remote;

/// <summary>The server's answer to an accepted upload: <c>{accepted, duplicates, rejected: […]}</c> (docs/api.md).</summary>
internal readonly record struct EventsAnswer(long Accepted, long Duplicates, int Rejected, string? FirstRejected)
{
    /// <summary>The answer in <paramref name="text"/>, or null when it is not one (a proxy's page, a cut-off body).</summary>
    public static EventsAnswer? TryRead(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Count(root, "accepted") is not { } stored || Count(root, "duplicates") is not { } duplicates
                || !root.TryGetProperty("rejected", out var rejected) || rejected.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var count = rejected.GetArrayLength();
            return new EventsAnswer(stored, duplicates, count, count > 0 ? rejected[0].GetRawText() : null);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static long? Count(JsonElement answer, string name) =>
        answer.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var count) && count >= 0 ? count : null;
}
