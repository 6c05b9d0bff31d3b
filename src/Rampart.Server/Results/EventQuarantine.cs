using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Rampart.Core.Events;
using Rampart.Server.Telemetry;

namespace Rampart.Server.Results;

/// <summary>
/// The events the results follower set aside: each is kept in the store's <c>quarantined_events</c> (listed by
/// <c>GET /api/events/quarantined</c>), counted once per process in <c>rampart_events_quarantined_total</c> and logged.
/// After a restart the follower reads the same event again and sets it aside again: the store keeps it once.
/// </summary>
internal sealed partial class EventQuarantine(IQuarantineStore store, ServerMetrics metrics, TimeProvider time, ILogger<EventQuarantine> logger)
{
    private readonly ConcurrentDictionary<long, string> positions = new();

    /// <summary>Whether the event at <paramref name="position"/> was set aside by this process.</summary>
    public bool Contains(long position) => positions.ContainsKey(position);

    /// <summary>How many events this process set aside.</summary>
    public int Count => positions.Count;

    /// <summary>Sets <paramref name="stored"/> aside for <paramref name="error"/>; throws when the store cannot keep it (the follower then retries).</summary>
    public async Task AddAsync(StoredEvent stored, string error, CancellationToken cancellationToken)
    {
        var e = stored.Event;
        if (positions.TryAdd(stored.Position, error))
        {
            metrics.EventQuarantined();
            LogQuarantined(logger, stored.Position, e.Experiment, e.Id, error);
        }

        await store.AddAsync(new QuarantinedEvent(stored.Position, e.Experiment, e.Id, Json(e), error, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The event as one JSON line; a number JSON cannot hold (NaN, ±∞) is written as null (the error names it), as is an <c>extra</c> that is not JSON.</summary>
    public static string Json(ExperimentEvent e)
    {
        try
        {
            return Write(e);
        }
        catch (Exception error) when (error is ArgumentException or JsonException)
        {
            return Write(e with
            {
                LatencyMs = Finite(e.LatencyMs), TtftMs = Finite(e.TtftMs), CostUsd = Finite(e.CostUsd), Value = Finite(e.Value), Extra = null,
            });
        }
    }

    private static string Write(ExperimentEvent e)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = EventLineWriter.Encoder }))
        {
            EventLineWriter.Write(writer, e);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static double? Finite(double? value) => value is { } v && !double.IsFinite(v) ? null : value;

    [LoggerMessage(Level = LogLevel.Error, Message = "Results: the event at position {Position} ('{Experiment}', id {Id}) cannot be aggregated and was set aside: {Error}")]
    private static partial void LogQuarantined(ILogger logger, long position, string experiment, string? id, string error);
}
