using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Rampart.Core.Rollouts;
using Rampart.Server.Configuration;
using Rampart.Server.Monitor;
using Rampart.Storage;

namespace Rampart.Server.Storage;

/// <summary>
/// The stores, on the backend the configuration names (<see cref="RampartStorage.Open"/>): the SQLite file (<c>storage.sqlite</c>,
/// the default) or the PostgreSQL database several servers share (<c>storage.postgres</c>), opened once and shared by every
/// store of the process.
/// </summary>
internal static class StorageServices
{
    /// <summary>Adds <see cref="StorageOptions"/>, the stores (each a <c>TryAdd</c>) and <see cref="StoreFailureHandler"/>.</summary>
    public static IServiceCollection AddRampartStorage(this IServiceCollection services)
    {
        services.AddSettings<StorageOptions, StorageOptionsSetup>();
        services.TryAddSingleton(sp => RampartStorage.Open(sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.TryAddSingleton(sp => Stores(sp).Experiments);
        services.TryAddSingleton(sp => Stores(sp).Events);
        services.TryAddSingleton(sp => Stores(sp).EventFeed);
        services.TryAddSingleton(sp => Stores(sp).PendingFeedback);
        services.TryAddSingleton(sp => Stores(sp).Quarantine);
        services.TryAddSingleton(sp => Stores(sp).Checkpoints);
        services.TryAddSingleton(sp => Stores(sp).Retention);
        services.TryAddSingleton(sp => Stores(sp).Keys);

        // The monitor's lease: an advisory lock per experiment when servers share PostgreSQL, a lock in memory when alone on SQLite.
        services.TryAddSingleton(sp => Stores(sp).MonitorLease ?? new LocalMonitorLease());

        // Changes made through other servers: announced by PostgreSQL; with one SQLite file, this server makes them (or the
        // CLI does, which the snapshots' polling picks up).
        services.TryAddSingleton(sp => Stores(sp).Changes ?? new NoChangeSignal());

        // A request the store fails is answered 503 with Retry-After, not 500.
        services.AddExceptionHandler<StoreFailureHandler>();
        return services;
    }

    private static RampartStores Stores(IServiceProvider services) => services.GetRequiredService<RampartStores>();

    /// <summary>A signal that never fires: polling alone keeps the snapshots current.</summary>
    private sealed class NoChangeSignal : IExperimentChangeSignal
    {
        public Task NextChangeAsync(CancellationToken cancellationToken = default) => Task.Delay(Timeout.Infinite, cancellationToken);
    }
}
