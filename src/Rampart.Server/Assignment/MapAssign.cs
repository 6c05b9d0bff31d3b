using Microsoft.Extensions.Options;
using Rampart.Core.Access;
using Rampart.Core.Events;
using Rampart.Core.Targeting;
using Rampart.Server.Access;
using Rampart.Server.Configuration;
using Rampart.Server.Events;
using Rampart.Server.Experiments;
using Rampart.Server.Http;

namespace Rampart.Server.Assignment;

/// <summary>
/// <c>POST /api/assign</c> <c>{experiment, unit, attributes?}</c> → <c>{variant, config, stage, reason}</c>, from the in-memory
/// snapshot; the attributes decide targeting, and those the experiment reads are stored on the exposure (docs/targeting.md).
/// </summary>
public static class MapAssign
{
    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapAssignApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/assign", AssignAsync).RequireScope(KeyScope.Ingest);
        return app;
    }

    private static async Task<IResult> AssignAsync(
        HttpContext context, ExperimentSnapshots snapshots, EventQueue queue, TimeProvider time, IOptions<ServerOptions> server, IOptions<EventOptions> events)
    {
        var body = await RequestBody.ReadAsync(context.Request, server.Value.MaxBodyBytes, context.RequestAborted);
        if (body is null)
        {
            return RequestBody.TooLarge(server.Value.MaxBodyBytes);
        }

        var fields = BodyFields.Parse(body, out var problem, out var document);
        using (document)
        {
            if (fields is null)
            {
                return ApiProblems.Invalid([problem!]);
            }

            fields.RejectUnknown("experiment", "unit", "log_exposure", "attributes");
            var key = fields.String("experiment", required: true, maxLength: 64);
            var unit = fields.String("unit", required: true);
            var logExposure = fields.Boolean("log_exposure", fallback: true);
            var attributes = UnitAttributes.None;
            if (fields.Object("attributes", required: false) is { } given)
            {
                attributes = UnitAttributes.Read(given, "attributes", out var invalid)!;
                if (invalid is not null)
                {
                    fields.Problems.Add(new FieldProblem(AttributeField(invalid), $"'{AttributeField(invalid)}': {invalid}."));
                }
            }

            if (!fields.IsValid)
            {
                return ApiProblems.Invalid(fields.Problems);
            }

            var assigner = await snapshots.FindAsync(key!, context.RequestAborted);
            if (assigner is null)
            {
                return ApiProblems.UnknownExperiment("experiment", key!);
            }

            var assignment = assigner.Assign(unit, attributes);

            // A draft or paused experiment's units all get the control: that is not experiment traffic, so no exposure.
            if (logExposure && assignment.Bucket >= 0)
            {
                var exposure = new ExperimentEvent
                {
                    Type = EventType.Exposure, Experiment = key!, Variant = assignment.Variant.Name, Unit = unit!,
                    Ts = time.GetUtcNow(), Id = EventIds.New(time), Stage = assignment.Stage,
                    Attributes = attributes.ToJson(assigner.StoredAttributes),
                };
                if (!queue.TryEnqueue(new EventBatch([exposure], EventSource.Gateway, awaitsCommit: false)))
                {
                    return EventProblems.QueueFull(context, events.Value.RetryAfterSeconds);
                }
            }

            return ServerJson.Result(writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("experiment", key);
                writer.WriteString("unit", unit);
                writer.WriteString("variant", assignment.Variant.Name);
                writer.WritePropertyName("config");
                ExperimentJson.Write(writer, assignment.Variant.Config);
                writer.WriteNumber("stage", assignment.Stage);
                writer.WriteString("reason", ExperimentJson.Name(assignment.Reason));
                writer.WriteNumber("bucket", assignment.Bucket);
                writer.WriteEndObject();
            });
        }
    }

    // "attributes.plan must be…" names attributes.plan; "attributes has more than…" names attributes.
    private static string AttributeField(string problem)
    {
        var end = problem.IndexOfAny([' ', ':']);
        return end < 0 ? "attributes" : problem[..end];
    }
}
