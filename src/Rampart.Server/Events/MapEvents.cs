using System.Text.Json;
using Microsoft.Extensions.Options;
using Rampart.Core.Access;
using Rampart.Core.Events;
using Rampart.Server.Access;
using Rampart.Server.Configuration;
using Rampart.Server.Experiments;
using Rampart.Server.Http;

namespace Rampart.Server.Events;

/// <summary>
/// <c>POST /api/events</c>: a JSON array or JSON Lines. Valid events are stored in one transaction and acknowledged
/// once it commits: <c>{accepted, duplicates, rejected: [{line|index, field, reason}]}</c>. Events without an id get a
/// time-ordered one; an id already stored makes a duplicate. A body without one valid event is a 400.
/// </summary>
public static class MapEvents
{
    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/events", IngestAsync).RequireScope(KeyScope.Ingest);
        return app;
    }

    private static async Task<IResult> IngestAsync(
        HttpContext context, ExperimentSnapshots snapshots, EventQueue queue, TimeProvider time, IOptions<ServerOptions> server, IOptions<EventOptions> events)
    {
        var body = await RequestBody.ReadAsync(context.Request, server.Value.MaxBodyBytes, context.RequestAborted);
        if (body is null)
        {
            return RequestBody.TooLarge(server.Value.MaxBodyBytes);
        }

        var items = EventsBody.Read(body, out var isArray, out var problem);
        if (items is null)
        {
            return ApiProblems.Invalid([problem!]);
        }

        var accepted = new List<ExperimentEvent>(items.Count);
        var rejected = new List<EventsBodyItem>();
        foreach (var item in items)
        {
            var reason = item.Event is { } e ? await CheckAsync(e, snapshots, context.RequestAborted) : null;
            if (item.Event is null || reason is not null)
            {
                rejected.Add(item.Event is null ? item : item with { Event = null, Field = reason!.Value.Field, Reason = reason.Value.Reason });
            }
            else
            {
                accepted.Add(EventIds.WithId(item.Event, time));
            }
        }

        var position = isArray ? "index" : "line";
        if (items.Count == 0)
        {
            return ApiProblems.Invalid("body", "'body' holds no event; send a JSON array of events or JSON Lines (docs/api.md, POST /api/events).");
        }

        if (accepted.Count == 0)
        {
            var first = rejected[0];
            return ApiProblems.Status(StatusCodes.Status400BadRequest, "No valid event.", first.Field!,
                $"No event was stored: every one is invalid. {position} {first.Position}: '{first.Field}' {first.Reason}",
                new Dictionary<string, object?> { ["rejected"] = Rejections(rejected, position) });
        }

        if (accepted.Count > queue.Capacity)
        {
            return ApiProblems.Status(StatusCodes.Status413PayloadTooLarge, "Too many events in one request.", "body",
                $"'body' holds {accepted.Count} events, more than events.queue_capacity ({queue.Capacity}); send smaller batches.");
        }

        var batch = new EventBatch(accepted, EventSource.Api, awaitsCommit: true);
        if (!queue.TryEnqueue(batch))
        {
            return EventProblems.QueueFull(context, events.Value.RetryAfterSeconds);
        }

        // Once queued, the batch is written whether or not the client still waits for the answer.
        AppendResult result;
        try
        {
            result = await batch.Committed.WaitAsync(context.RequestAborted);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return EventProblems.StoreFailed(context, events.Value.RetryAfterSeconds);
        }

        return ServerJson.Result(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("accepted", result.Accepted);
            writer.WriteNumber("duplicates", result.Duplicates);
            writer.WriteStartArray("rejected");
            foreach (var item in rejected)
            {
                WriteRejection(writer, item, position);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static async ValueTask<(string Field, string Reason)?> CheckAsync(ExperimentEvent e, ExperimentSnapshots snapshots, CancellationToken cancellationToken)
    {
        var assigner = await snapshots.FindAsync(e.Experiment, cancellationToken);
        if (assigner is null)
        {
            return ("experiment", $"'{e.Experiment}' is not an experiment; create it first (POST /api/experiments)");
        }

        var definition = assigner.Experiment.Definition;
        return definition.IndexOf(e.Variant) < 0
            ? ("variant", $"'{e.Variant}' is not a variant of '{e.Experiment}' ({string.Join(", ", definition.VariantNames)})")
            : null;
    }

    private static List<Dictionary<string, object?>> Rejections(List<EventsBodyItem> rejected, string position) =>
        [.. rejected.Select(r => new Dictionary<string, object?> { [position] = r.Position, ["field"] = r.Field, ["reason"] = r.Reason })];

    private static void WriteRejection(Utf8JsonWriter writer, EventsBodyItem item, string position)
    {
        writer.WriteStartObject();
        writer.WriteNumber(position, item.Position);
        writer.WriteString("field", item.Field);
        writer.WriteString("reason", item.Reason);
        writer.WriteEndObject();
    }
}
