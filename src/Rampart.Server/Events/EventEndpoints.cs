namespace Rampart.Server.Events;

/// <summary>The Events folder's endpoints, mapped as one: events in, feedback in.</summary>
public static class EventEndpoints
{
    /// <summary>Maps <c>POST /api/events</c> and <c>POST /api/feedback</c>.</summary>
    public static IEndpointRouteBuilder MapEventAndFeedbackApi(this IEndpointRouteBuilder app) =>
        app.MapEventsApi().MapFeedbackApi();
}
