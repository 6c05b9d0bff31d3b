using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Rampart.Llm.Judging;

/// <summary>
/// A judge model's answer read robustly (docs/judges.md): a JSON object <c>{"rating": n, "reason": "…"}</c> anywhere in the
/// text (inside a fenced code block or prose too), or else a bare number. Never throws.
/// </summary>
/// <param name="Rating">The rating, or null when none could be read.</param>
/// <param name="Reason">The judge's reason, when it gave one.</param>
public sealed partial record JudgeVerdict(double? Rating, string? Reason)
{
    /// <summary>Reads <paramref name="text"/>; a verdict with a null rating when nothing in it is a rating.</summary>
    public static JudgeVerdict Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new JudgeVerdict(null, null);
        }

        for (var start = text.IndexOf('{', StringComparison.Ordinal); start >= 0; start = text.IndexOf('{', start + 1))
        {
            if (FromJson(text.AsSpan(start)) is { } verdict)
            {
                return verdict;
            }
        }

        var bare = BareNumber().Match(text);
        return bare.Success && double.TryParse(bare.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var rating)
            ? new JudgeVerdict(rating, null)
            : new JudgeVerdict(null, null);
    }

    private static JudgeVerdict? FromJson(ReadOnlySpan<char> text)
    {
        try
        {
            var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(text.ToString()), new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("rating", out var value))
            {
                return null;
            }

            double? rating = value.ValueKind switch
            {
                JsonValueKind.Number => value.GetDouble(),
                JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
                _ => null,
            };
            var reason = root.TryGetProperty("reason", out var why) && why.ValueKind == JsonValueKind.String ? why.GetString() : null;
            return rating is null ? null : new JudgeVerdict(rating, reason);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // The whole answer is a number, perhaps with a fence, a trailing period or "/5".
    [GeneratedRegex(@"^\s*(?:```\w*\s*)?(-?\d+(?:\.\d+)?)\s*(?:/\s*\d+)?\.?\s*(?:```)?\s*$")]
    private static partial Regex BareNumber();
}
