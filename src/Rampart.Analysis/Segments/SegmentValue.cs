using System.Text.Json;

namespace Rampart.Analysis.Segments;

/// <summary>The value of one attribute in an exposure's <c>attributes</c> (a JSON object of strings, numbers and booleans), as a segment name.</summary>
internal static class SegmentValue
{
    /// <summary>The value of <paramref name="by"/>: a string as it is, a number as written, a boolean as <c>true</c>/<c>false</c>; null when absent or unreadable.</summary>
    public static string? Of(string? attributes, string by)
    {
        if (string.IsNullOrEmpty(attributes))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(attributes);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty(by, out var value))
            {
                return null;
            }

            return value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            };
        }
        catch (JsonException)
        {
            // Attributes are validated when stored; an imported line with broken ones counts as carrying none.
            return null;
        }
    }
}
