using System.Globalization;
using Rampart.Core.Events;

namespace Rampart.Storage.Sqlite;

/// <summary>How values are spelled in the database: timestamps as fixed-width ISO 8601 UTC text, enums as lowercase names.</summary>
internal static class StorageText
{
    // Always seven fractional digits: text order is time order, and every tick (100 ns) survives the round trip.
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    /// <summary>The length of every stored timestamp.</summary>
    public const int TimestampLength = 28;

    /// <summary>The instant as UTC text, e.g. <c>2026-11-01T10:00:00.0000000Z</c>.</summary>
    public static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    /// <summary>
    /// The instant as UTF-8 UTC text (the same text as <see cref="Timestamp(DateTimeOffset)"/>) written into
    /// <paramref name="buffer"/>, at least <see cref="TimestampLength"/> long. Written digit by digit: a custom format
    /// string costs ten times as much, on every event appended.
    /// </summary>
    public static ReadOnlySpan<byte> Timestamp(DateTimeOffset value, Span<byte> buffer)
    {
        if (buffer.Length < TimestampLength)
        {
            throw new ArgumentException($"A timestamp needs {TimestampLength} bytes.", nameof(buffer));
        }

        var utc = value.UtcDateTime;
        var (year, month, day) = utc;
        var time = utc.Ticks % TimeSpan.TicksPerDay;
        Digits(buffer[..4], year);
        buffer[4] = (byte)'-';
        Digits(buffer.Slice(5, 2), month);
        buffer[7] = (byte)'-';
        Digits(buffer.Slice(8, 2), day);
        buffer[10] = (byte)'T';
        Digits(buffer.Slice(11, 2), time / TimeSpan.TicksPerHour);
        buffer[13] = (byte)':';
        Digits(buffer.Slice(14, 2), time / TimeSpan.TicksPerMinute % 60);
        buffer[16] = (byte)':';
        Digits(buffer.Slice(17, 2), time / TimeSpan.TicksPerSecond % 60);
        buffer[19] = (byte)'.';
        Digits(buffer.Slice(20, 7), time % TimeSpan.TicksPerSecond);
        buffer[27] = (byte)'Z';
        return buffer[..TimestampLength];
    }

    /// <summary>The nullable instant as UTC text, or null.</summary>
    public static string? Timestamp(DateTimeOffset? value) => value is { } instant ? Timestamp(instant) : null;

    /// <summary>Reads <see cref="Timestamp(DateTimeOffset)"/>'s text back, with a zero offset.</summary>
    public static DateTimeOffset ParseTimestamp(string text) =>
        DateTimeOffset.ParseExact(text, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>The lowercase name of an enum value, as the schema's CHECK constraints list them.</summary>
    public static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum => value.ToString().ToLowerInvariant();

    /// <summary>Reads <see cref="Name{TEnum}"/>'s text back; throws <see cref="InvalidDataException"/> for anything else.</summary>
    public static TEnum Parse<TEnum>(string text, string column)
        where TEnum : struct, Enum =>
        Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !char.IsAsciiDigit(text[0])
            ? value
            : throw new InvalidDataException(
                $"Column '{column}' holds '{text}', which is not one of {string.Join(", ", Enum.GetValues<TEnum>().Select(Name))}; the database is damaged or newer than this Rampart.");

    /// <summary>The event type as the events format writes it.</summary>
    public static string Name(EventType type) => type switch
    {
        EventType.Exposure => "exposure",
        EventType.Completion => "completion",
        EventType.Feedback => "feedback",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not an event type."),
    };

    /// <summary>Reads an event type written by <see cref="Name(EventType)"/>.</summary>
    public static EventType ParseEventType(string text) => text switch
    {
        "exposure" => EventType.Exposure,
        "completion" => EventType.Completion,
        "feedback" => EventType.Feedback,
        _ => throw new InvalidDataException($"Column 'type' holds '{text}', which is not an event type."),
    };

    private static void Digits(Span<byte> target, long value)
    {
        for (var i = target.Length - 1; i >= 0; i--)
        {
            target[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }
}
