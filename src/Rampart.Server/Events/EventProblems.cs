using Rampart.Server.Http;

namespace Rampart.Server.Events;

/// <summary>The problem details of <c>/api/assign</c>, <c>/api/events</c> and <c>/api/feedback</c> when events cannot be recorded now.</summary>
internal static class EventProblems
{
    /// <summary>503: the event queue is full (or the store fails and the journal is full); the client should retry after <paramref name="seconds"/>.</summary>
    public static IResult QueueFull(HttpContext context, int seconds)
    {
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (context.RequestServices.GetService<EventQueue>() is { IsRefusing: true })
        {
            return ApiProblems.Status(StatusCodes.Status503ServiceUnavailable, "Events cannot be recorded now.", "body",
                $"The event store fails and the server's local journal is full (events.journal_max_bytes); nothing was stored. Retry after {seconds} s.");
        }

        return ApiProblems.Status(StatusCodes.Status503ServiceUnavailable, "The event queue is full.", "body",
            $"The server's event queue is full (events.queue_capacity); nothing was stored. Retry after {seconds} s.");
    }

    /// <summary>429: the feedback's completion is not stored yet and as much feedback as the limits allow already waits.</summary>
    public static IResult TooManyPending(HttpContext context, FeedbackOptions feedback, int seconds)
    {
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ApiProblems.Status(StatusCodes.Status429TooManyRequests, "Too much feedback waits for its completion.", "request_id",
            $"'request_id': no completion is stored for it yet, and {feedback.MaxPending} pieces of feedback (feedback.max_pending) or "
            + $"{feedback.MaxPendingBytes} bytes (feedback.max_pending_bytes) already wait for theirs; nothing was kept. Send feedback "
            + $"after its call has answered, or retry after {seconds} s.");
    }

    /// <summary>503: the store failed (a busy or full disk); nothing of the request was stored.</summary>
    public static IResult StoreFailed(HttpContext context, int seconds)
    {
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ApiProblems.Status(StatusCodes.Status503ServiceUnavailable, "The events could not be stored.", "body",
            $"The store failed to commit the events; nothing was stored. Retry after {seconds} s.");
    }
}
