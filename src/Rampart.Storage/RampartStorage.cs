using Rampart.Storage.Postgres;
using Rampart.Storage.Sqlite;

namespace Rampart.Storage;

/// <summary>The one way into Rampart's storage: every store on the backend <see cref="StorageOptions"/> names.</summary>
public static class RampartStorage
{
    /// <summary>
    /// Opens every store on the PostgreSQL database <see cref="StorageOptions.PostgresConnectionString"/> names, or else on the
    /// SQLite file <see cref="StorageOptions.SqlitePath"/> (created with its schema at first use when missing); throws
    /// <see cref="ArgumentException"/> for a connection string Npgsql cannot read.
    /// </summary>
    public static RampartStores Open(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.PostgresConnectionString is { } connectionString)
        {
            var postgres = new PostgresDatabase(connectionString);
            return new RampartStores(
                new PostgresExperimentStore(postgres), new PostgresEventStore(postgres), new PostgresEventFeed(postgres),
                new PostgresPendingFeedbackStore(postgres), new PostgresQuarantineStore(postgres), new PostgresCheckpointStore(postgres), new PostgresEventRetention(postgres), new PostgresKeyStore(postgres),
                new PostgresMonitorLease(postgres), new PostgresExperimentChanges(postgres), postgres);
        }

        var sqlite = new SqliteDatabase(options.SqlitePath);
        return new RampartStores(
            new SqliteExperimentStore(sqlite), new SqliteEventStore(sqlite), new SqliteEventFeed(sqlite),
            new SqlitePendingFeedbackStore(sqlite), new SqliteQuarantineStore(sqlite), new SqliteCheckpointStore(sqlite), new SqliteEventRetention(sqlite), new SqliteKeyStore(sqlite),
            monitorLease: null, changes: null, database: null);
    }
}
