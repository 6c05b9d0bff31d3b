using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Rampart.Core.Access;
using Rampart.Core.Events;
using Rampart.Core.Rollouts;
using Rampart.Server.Configuration;
using Rampart.Server.Monitor;
using Rampart.Storage.Postgres;
using Rampart.Storage.Sqlite;

namespace Rampart.Server.Storage;

/// <summary>
/// The stores, on the backend the configuration names: the SQLite file (<c>storage.sqlite</c>, the default) or the
/// PostgreSQL database several servers share (<c>storage.postgres</c>). Each database object is created only when its
/// backend is chosen, and shared by every store of the process.
/// </summary>
internal static class StorageServices
{
    /// <summary>Adds the stores (each a <c>TryAdd</c>).</summary>
    public static IServiceCollection AddRampartStorage(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => new SqliteDatabase(Settings(sp).SqlitePath));
        services.TryAddSingleton(sp => new PostgresDatabase(Settings(sp).PostgresConnectionString
            ?? throw new InvalidOperationException("storage.postgres is not set; the server uses its SQLite file.")));
        services.TryAddSingleton<IExperimentStore>(sp => UsesPostgres(sp)
            ? new PostgresExperimentStore(sp.GetRequiredService<PostgresDatabase>())
            : new SqliteExperimentStore(sp.GetRequiredService<SqliteDatabase>()));
        services.TryAddSingleton<IEventStore>(sp => UsesPostgres(sp)
            ? new PostgresEventStore(sp.GetRequiredService<PostgresDatabase>())
            : new SqliteEventStore(sp.GetRequiredService<SqliteDatabase>()));
        services.TryAddSingleton<IEventFeed>(sp => UsesPostgres(sp)
            ? new PostgresEventFeed(sp.GetRequiredService<PostgresDatabase>())
            : new SqliteEventFeed(sp.GetRequiredService<SqliteDatabase>()));
        services.TryAddSingleton<IPendingFeedbackStore>(sp => UsesPostgres(sp)
            ? new PostgresPendingFeedbackStore(sp.GetRequiredService<PostgresDatabase>())
            : new SqlitePendingFeedbackStore(sp.GetRequiredService<SqliteDatabase>()));
        services.TryAddSingleton<IQuarantineStore>(sp => UsesPostgres(sp)
            ? new PostgresQuarantineStore(sp.GetRequiredService<PostgresDatabase>())
            : new SqliteQuarantineStore(sp.GetRequiredService<SqliteDatabase>()));
        services.TryAddSingleton<IKeyStore>(sp => UsesPostgres(sp)
            ? new PostgresKeyStore(sp.GetRequiredService<PostgresDatabase>())
            : new SqliteKeyStore(sp.GetRequiredService<SqliteDatabase>()));

        // The monitor's lease: an advisory lock per experiment when servers share PostgreSQL, a lock in memory when alone on SQLite.
        services.TryAddSingleton<IMonitorLease>(sp => UsesPostgres(sp)
            ? new PostgresMonitorLease(sp.GetRequiredService<PostgresDatabase>())
            : new LocalMonitorLease());

        // Changes made through other servers: announced by PostgreSQL; with one SQLite file, this server makes them (or the
        // CLI does, which the snapshots' polling picks up).
        services.TryAddSingleton<IExperimentChangeSignal>(sp => UsesPostgres(sp)
            ? new PostgresExperimentChanges(sp.GetRequiredService<PostgresDatabase>())
            : new NoChangeSignal());
        return services;
    }

    private static ServerSettings Settings(IServiceProvider services) => services.GetRequiredService<IOptions<ServerSettings>>().Value;

    private static bool UsesPostgres(IServiceProvider services) => Settings(services).PostgresConnectionString is not null;

    /// <summary>A signal that never fires: polling alone keeps the snapshots current.</summary>
    private sealed class NoChangeSignal : IExperimentChangeSignal
    {
        public Task NextChangeAsync(CancellationToken cancellationToken = default) => Task.Delay(Timeout.Infinite, cancellationToken);
    }
}
