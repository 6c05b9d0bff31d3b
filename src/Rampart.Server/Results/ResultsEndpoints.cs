namespace Rampart.Server.Results;

/// <summary>The Results folder's endpoints, mapped as one: the results document, the dashboard's charts, quarantine.</summary>
public static class ResultsEndpoints
{
    /// <summary>
    /// Maps <c>GET /api/experiments/{key}/results</c>, <c>/timeline</c>, <c>/latency</c> and
    /// <c>GET /api/events/quarantined</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapResultsAndChartsApi(this IEndpointRouteBuilder app) =>
        app.MapResultsApi().MapChartsApi().MapQuarantineApi();
}
