using Rampart.Analysis;
using Rampart.Analysis.Results;
using Rampart.Analysis.Segments;
using Rampart.Core.Events;
using Rampart.Core.Access;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;
using Rampart.Server.Access;
using Rampart.Server.Http;

namespace Rampart.Server.Results;

/// <summary>
/// <c>GET /api/experiments/{key}/results</c>: the results document (docs/statistics.md) from the incremental aggregates, after
/// reading whatever was stored since the last look (so an acknowledged event always counts). With <c>?by=ATTRIBUTE</c> (one of the
/// experiment's stored attributes), the per-segment results instead (docs/targeting.md), read from the stored events.
/// </summary>
public static class MapResults
{
    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapResultsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/experiments/{key}/results", ResultsAsync).RequireScope(KeyScope.Read);
        return app;
    }

    private static async Task<IResult> ResultsAsync(
        string key, string? by, IExperimentStore store, IEventStore events, IEventRetention retention, EventFollower follower, ResultsTracker tracker, CancellationToken cancellationToken)
    {
        var experiment = await CaughtUp.FindAsync(key, store, follower, cancellationToken);
        if (experiment is null)
        {
            return ApiProblems.UnknownExperiment("key", key);
        }

        if (by is not null && SegmentReader.Problem(experiment, by) is { } problem)
        {
            return ApiProblems.Invalid("by", problem);
        }

        try
        {
            if (by is not null)
            {
                var segmented = await SegmentReader.AnalyzeAsync(experiment, by, events, retention, cancellationToken);
                return TypedResults.Text(SegmentedResultsJson.Serialize(segmented, indented: false), "application/json");
            }

            var document = await SegmentReader.GateAsync(experiment, tracker.Analyze(experiment), events, retention, cancellationToken);
            return TypedResults.Text(ResultsJson.Serialize(document, indented: false), "application/json");
        }
        catch (AnalysisException e)
        {
            return ApiProblems.Status(StatusCodes.Status409Conflict, "The results cannot be computed.", "key", $"'{key}': {e.Message}");
        }
    }
}
