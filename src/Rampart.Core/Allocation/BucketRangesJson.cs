using System.Text.Json;

namespace Rampart.Core.Allocation;

/// <summary>A range table in JSON, as the store keeps it and the API shows it: <c>[{"variant","start","end","rolled_back"}]</c>.</summary>
public static class BucketRangesJson
{
    /// <summary>Writes <paramref name="ranges"/> as a JSON array.</summary>
    /// <exception cref="ArgumentNullException">when <paramref name="writer"/> or <paramref name="ranges"/> is null.</exception>
    public static void Write(Utf8JsonWriter writer, IEnumerable<BucketRange> ranges)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(ranges);
        writer.WriteStartArray();
        foreach (var range in ranges)
        {
            writer.WriteStartObject();
            writer.WriteString("variant", range.Variant);
            writer.WriteNumber("start", range.Start);
            writer.WriteNumber("end", range.End);
            writer.WriteBoolean("rolled_back", range.RolledBack);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
