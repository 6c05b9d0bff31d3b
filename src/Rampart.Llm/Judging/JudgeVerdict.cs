using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Rampart.Llm.Judging;

/// <summary>
/// A judge model's answer read robustly (docs/judges.md): a JSON object <c>{"rating": n, "reason": "…"}</c> anywhere in the
/// text (inside a fenced code block or prose too), or else a bare number. Never throws, and bounded: only the first
/// <see cref="MaxChars"/> characters are read and at most <see cref="MaxObjects"/> <c>{</c> tried as an object's start, so a
/// judge answering megabytes of braces costs linear time, not quadratic.
/// </summary>
/// <param name="Rating">The rating, or null when none could be read.</param>
/// <param name="Reason">The judge's reason, when it gave one.</param>
public sealed partial record JudgeVerdict(double? Rating, string? Reason)
{
    /// <summary>The characters of an answer read: a verdict is a short JSON object, and a judge's answer that long is not one.</summary>
    public const int MaxChars = 16_384;

    /// <summary>The most <c>{</c> tried as the start of the verdict object.</summary>
    public const int MaxObjects = 16;

    /// <summary>Reads <paramref name="text"/>; a verdict with a null rating when nothing in it is a rating.</summary>
    public static JudgeVerdict Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new JudgeVerdict(null, null);
        }

        if (text.Length > MaxChars)
        {
            text = text[..MaxChars];
        }

        // Encoded once; each try parses from one '{' to the end of its value at most.
        var utf8 = System.Text.Encoding.UTF8.GetBytes(text);
        var tries = 0;
        for (var start = Array.IndexOf(utf8, (byte)'{'); start >= 0 && tries < MaxObjects; start = Array.IndexOf(utf8, (byte)'{', start + 1), tries++)
        {
            if (FromJson(utf8.AsSpan(start)) is { } verdict)
            {
                return verdict;
            }
        }

        var bare = BareNumber().Match(text);
        return bare.Success && double.TryParse(bare.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var rating) && double.IsFinite(rating)
            ? new JudgeVerdict(rating, null)
            : new JudgeVerdict(null, null);
    }

    private static JudgeVerdict? FromJson(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("rating", out var value))
            {
                return null;
            }

            // "NaN", "Infinity" and 1e999 read as no rating: a rating is a finite number.
            double? rating = value.ValueKind switch
            {
                JsonValueKind.Number when value.TryGetDouble(out var number) && double.IsFinite(number) => number,
                JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed) => parsed,
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
