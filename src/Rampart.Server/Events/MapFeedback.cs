using Microsoft.Extensions.Options;
using Rampart.Core.Access;
using Rampart.Core.Events;
using Rampart.Server.Access;
using Rampart.Server.Configuration;
using Rampart.Server.Experiments;
using Rampart.Server.Http;

namespace Rampart.Server.Events;

/// <summary>
/// <c>POST /api/feedback</c> <c>{request_id, score, value, comment?, id?, ts?}</c>: the experiment, variant and unit come
/// from the call's completion. 200 <c>stored</c> once durable; 202 <c>pending</c> with <c>pending_until</c> when the
/// completion is not stored yet (the feedback is kept and joined when it lands, or dropped after that); 429 when as much feedback as <c>feedback.max_pending</c> allows
/// already waits.
/// </summary>
public static class MapFeedback
{
    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapFeedbackApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/feedback", SubmitAsync).RequireScope(KeyScope.Ingest);
        return app;
    }

    private static async Task<IResult> SubmitAsync(HttpContext context, FeedbackJoiner joiner, TimeProvider time, IOptions<ServerOptions> server, IOptions<EventOptions> events, IOptions<FeedbackOptions> pending)
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

            fields.RejectUnknown("request_id", "score", "value", "comment", "id", "ts");
            var requestId = fields.String("request_id", required: true, maxLength: EventLimits.MaxIdLength);
            var score = fields.String("score", required: true, maxLength: EventLimits.MaxScoreNameLength);
            var value = fields.Number("value", required: true, allowBoolean: true, range: EventNumber.Score);
            var comment = fields.String("comment", required: false, maxLength: 16_384, allowEmpty: true);
            var id = fields.String("id", required: false, maxLength: EventLimits.MaxIdLength);
            var ts = fields.Timestamp("ts");
            if (!fields.IsValid)
            {
                return ApiProblems.Invalid(fields.Problems);
            }

            var feedback = new PendingFeedback(id ?? EventIds.New(time), requestId!, score!, value!.Value, comment, ts ?? time.GetUtcNow());
            FeedbackOutcome outcome;
            try
            {
                outcome = await joiner.SubmitAsync(feedback, context.RequestAborted);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return EventProblems.StoreFailed(context, events.Value.RetryAfterSeconds);
            }

            if (outcome.Status == FeedbackStatus.QueueFull)
            {
                return EventProblems.QueueFull(context, events.Value.RetryAfterSeconds);
            }

            if (outcome.Status == FeedbackStatus.TooManyPending)
            {
                return EventProblems.TooManyPending(context, pending.Value, events.Value.RetryAfterSeconds);
            }

            return ServerJson.Result(
                writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteString("status", ExperimentJson.Name(outcome.Status));
                    writer.WriteString("id", feedback.Id);
                    writer.WriteString("request_id", feedback.RequestId);
                    if (outcome.Status == FeedbackStatus.Pending)
                    {
                        // Said in the answer: kept feedback whose call is not stored by then is dropped, not joined.
                        var ttl = pending.Value.PendingTtl;
                        if (ttl < DateTimeOffset.MaxValue - feedback.Ts)
                        {
                            writer.WriteString("pending_until", EventLineWriter.FormatTimestamp(feedback.Ts + ttl));
                        }
                        else
                        {
                            writer.WriteNull("pending_until");
                        }
                    }

                    if (outcome.Event is { } e)
                    {
                        writer.WriteString("experiment", e.Experiment);
                        writer.WriteString("variant", e.Variant);
                        writer.WriteString("unit", e.Unit);
                    }

                    writer.WriteEndObject();
                },
                outcome.Status == FeedbackStatus.Pending ? StatusCodes.Status202Accepted : StatusCodes.Status200OK);
        }
    }
}
