using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Rampart.Server.Experiments;

/// <summary>Experiments: the snapshots assignment reads, and the control plane's commands.</summary>
internal static class ExperimentServices
{
    /// <summary>
    /// Adds <see cref="ExperimentSnapshots"/> and <see cref="ExperimentCommands"/> (each a <c>TryAdd</c>), and the answer to a
    /// request about an experiment that cannot be read (<see cref="UnreadableExperimentHandler"/>).
    /// </summary>
    /// <remarks><see cref="SnapshotRefresher"/> is hosted with the server's other background services, in their order.</remarks>
    public static IServiceCollection AddRampartExperiments(this IServiceCollection services)
    {
        services.AddExceptionHandler<UnreadableExperimentHandler>();
        services.TryAddSingleton<ExperimentSnapshots>();
        services.TryAddSingleton<ExperimentCommands>();
        return services;
    }
}
