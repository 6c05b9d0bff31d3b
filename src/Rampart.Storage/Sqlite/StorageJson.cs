using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Rampart.Core.Allocation;

namespace Rampart.Storage.Sqlite;

/// <summary>The JSON columns: range tables, the rolled-back map and audit metrics.</summary>
internal static class StorageJson
{
    /// <summary>A range table as <c>[{"variant","start","end","rolled_back"}]</c>, ascending.</summary>
    public static string WriteRanges(IEnumerable<BucketRange> ranges) => Write(writer => BucketRangesJson.Write(writer, ranges));

    /// <summary>Reads <see cref="WriteRanges"/>'s JSON back.</summary>
    public static List<BucketRange> ReadRanges(string json)
    {
        using var document = JsonDocument.Parse(json);
        var ranges = new List<BucketRange>(document.RootElement.GetArrayLength());
        foreach (var element in document.RootElement.EnumerateArray())
        {
            ranges.Add(new BucketRange(
                element.GetProperty("variant").GetString() ?? throw new InvalidDataException("A stored range has no variant."),
                element.GetProperty("start").GetInt32(),
                element.GetProperty("end").GetInt32(),
                element.GetProperty("rolled_back").GetBoolean()));
        }

        return ranges;
    }

    /// <summary>A string map as a JSON object (the rolled-back variants and their reasons).</summary>
    public static string WriteMap(IEnumerable<KeyValuePair<string, string>> map) => Write(writer =>
    {
        writer.WriteStartObject();
        foreach (var (key, value) in map)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    });

    /// <summary>Reads <see cref="WriteMap"/>'s JSON back, ordered by key (ordinal).</summary>
    public static ImmutableSortedDictionary<string, string> ReadMap(string json)
    {
        using var document = JsonDocument.Parse(json);
        var map = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            map[property.Name] = property.Value.GetString() ?? "";
        }

        return map.ToImmutable();
    }

    /// <summary>Metrics as a JSON object; a non-finite value (which JSON cannot hold) is written as its name, <c>"NaN"</c>.</summary>
    public static string WriteMetrics(IEnumerable<KeyValuePair<string, double>> metrics) => Write(writer =>
    {
        writer.WriteStartObject();
        foreach (var (key, value) in metrics)
        {
            if (double.IsFinite(value))
            {
                writer.WriteNumber(key, value);
            }
            else
            {
                writer.WriteString(key, value.ToString(CultureInfo.InvariantCulture));
            }
        }

        writer.WriteEndObject();
    });

    /// <summary>Reads <see cref="WriteMetrics"/>'s JSON back, ordered by key (ordinal).</summary>
    public static ImmutableSortedDictionary<string, double> ReadMetrics(string json)
    {
        using var document = JsonDocument.Parse(json);
        var metrics = ImmutableSortedDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            metrics[property.Name] = property.Value.ValueKind == JsonValueKind.String
                ? double.Parse(property.Value.GetString()!, CultureInfo.InvariantCulture)
                : property.Value.GetDouble();
        }

        return metrics.ToImmutable();
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
