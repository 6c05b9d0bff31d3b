using Microsoft.Extensions.DependencyInjection.Extensions;
using Rampart.Core.Alerts;
using Rampart.Core.Rollouts;
using Rampart.Server.Experiments;
using Rampart.Server.Health;
using Rampart.Server.Results;

namespace Rampart.Server.Monitor;

/// <summary>
/// The rollout monitor: guardrails, stage advances and promotions every check interval, alerting through the alert sink.
/// Its lease comes with the storage: an advisory lock on PostgreSQL, so one server acts per experiment.
/// </summary>
internal static class MonitorServices
{
    /// <summary>Adds <see cref="RolloutMonitor"/> (a <c>TryAdd</c>); it is hosted with the server's other background services, in their order.</summary>
    public static IServiceCollection AddRampartMonitor(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => new RolloutMonitor(
            sp.GetRequiredService<IExperimentStore>(), sp.GetRequiredService<ResultsTracker>(), sp.GetRequiredService<EventFollower>(),
            sp.GetRequiredService<ExperimentSnapshots>(), sp.GetRequiredService<IMonitorLease>(), sp.GetRequiredService<IAlertSink>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ServerHealth>(), sp.GetRequiredService<ILogger<RolloutMonitor>>())
        {
            Events = sp.GetService<Core.Events.IEventStore>(),
            Retention = sp.GetService<Core.Events.IEventRetention>(),
        });
        return services;
    }
}
