using Microsoft.Extensions.DependencyInjection.Extensions;
using Rampart.Server.Configuration;

namespace Rampart.Server.Results;

/// <summary>Results: incremental aggregates following the store, and the events set aside.</summary>
internal static class ResultsServices
{
    /// <summary>Adds <see cref="ResultsTracker"/>, <see cref="EventQuarantine"/> and <see cref="EventFollower"/> (each a <c>TryAdd</c>).</summary>
    /// <remarks>The follower is hosted with the server's other background services, in their order.</remarks>
    public static IServiceCollection AddRampartResults(this IServiceCollection services)
    {
        services.AddSettings<CheckpointOptions, CheckpointOptionsSetup>();
        services.AddSettings<RetentionOptions, RetentionOptionsSetup>();
        services.AddExceptionHandler<ResultsUnavailableHandler>();
        services.TryAddSingleton<ResultsTracker>();
        services.TryAddSingleton<EventQuarantine>();
        services.TryAddSingleton<EventFollower>();
        return services;
    }
}
