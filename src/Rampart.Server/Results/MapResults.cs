using Rampart.Analysis;
using Rampart.Analysis.Results;
using Rampart.Core.Access;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;
using Rampart.Server.Access;
using Rampart.Server.Http;

namespace Rampart.Server.Results;

/// <summary>
/// <c>GET /api/experiments/{key}/results</c>: the results document (docs/statistics.md) from the incremental aggregates, after
/// reading whatever was stored since the last look (so an acknowledged event always counts).
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
        string key, IExperimentStore store, EventFollower follower, ResultsTracker tracker, CancellationToken cancellationToken)
    {
        var experiment = await CaughtUp.FindAsync(key, store, follower, cancellationToken);
        if (experiment is null)
        {
            return ApiProblems.UnknownExperiment("key", key);
        }

        try
        {
            var document = tracker.Analyze(experiment);
            return TypedResults.Text(ResultsJson.Serialize(document, indented: false), "application/json");
        }
        catch (AnalysisException e)
        {
            return ApiProblems.Status(StatusCodes.Status409Conflict, "The results cannot be computed.", "key", $"'{key}': {e.Message}");
        }
    }
}
