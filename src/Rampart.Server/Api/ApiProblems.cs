namespace Rampart.Server.Api;

/// <summary>RFC 9457 problem details for <c>/api/…</c> errors, each naming the field at fault.</summary>
internal static class ApiProblems
{
    /// <summary>400: the request's fields have problems; <c>detail</c> is the first, <c>errors</c> lists them all by field.</summary>
    public static IResult Invalid(IReadOnlyList<FieldProblem> problems) =>
        TypedResults.ValidationProblem(
            problems.GroupBy(p => p.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray(), StringComparer.Ordinal),
            detail: string.Join(" ", problems.Select(p => p.Message)),
            title: "The request is invalid.");

    /// <summary>400 for one field.</summary>
    public static IResult Invalid(string field, string message) => Invalid([new FieldProblem(field, message)]);

    /// <summary>A problem with a status other than 400, naming its field.</summary>
    public static IResult Status(int status, string title, string field, string detail, IDictionary<string, object?>? extensions = null)
    {
        var all = new Dictionary<string, object?>(StringComparer.Ordinal) { ["field"] = field };
        if (extensions is not null)
        {
            foreach (var (key, value) in extensions)
            {
                all[key] = value;
            }
        }

        return TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: all);
    }

    /// <summary>404: no experiment has that key.</summary>
    public static IResult UnknownExperiment(string field, string key) =>
        Status(StatusCodes.Status404NotFound, "No such experiment.", field, $"'{field}': experiment '{key}' does not exist; GET /api/experiments lists them.");

    /// <summary>503: the event queue is full (or the store fails and the journal is full); the client should retry after <paramref name="seconds"/>.</summary>
    public static IResult QueueFull(HttpContext context, int seconds)
    {
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (context.RequestServices.GetService<Events.EventQueue>() is { IsRefusing: true })
        {
            return Status(StatusCodes.Status503ServiceUnavailable, "Events cannot be recorded now.", "body",
                $"The event store fails and the server's local journal is full (events.journal_max_bytes); nothing was stored. Retry after {seconds} s.");
        }

        return Status(StatusCodes.Status503ServiceUnavailable, "The event queue is full.", "body",
            $"The server's event queue is full (events.queue_capacity); nothing was stored. Retry after {seconds} s.");
    }

    /// <summary>429: the feedback's completion is not stored yet and as much feedback as the limits allow already waits.</summary>
    public static IResult TooManyPending(HttpContext context, Events.FeedbackOptions feedback, int seconds)
    {
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Status(StatusCodes.Status429TooManyRequests, "Too much feedback waits for its completion.", "request_id",
            $"'request_id': no completion is stored for it yet, and {feedback.MaxPending} pieces of feedback (feedback.max_pending) or "
            + $"{feedback.MaxPendingBytes} bytes (feedback.max_pending_bytes) already wait for theirs; nothing was kept. Send feedback "
            + $"after its call has answered, or retry after {seconds} s.");
    }

    /// <summary>503: the store failed (a busy or full disk); nothing of the request was stored.</summary>
    public static IResult StoreFailed(HttpContext context, int seconds)
    {
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Status(StatusCodes.Status503ServiceUnavailable, "The events could not be stored.", "body",
            $"The store failed to commit the events; nothing was stored. Retry after {seconds} s.");
    }
}
