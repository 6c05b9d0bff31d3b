using Npgsql;
using Rampart.Core.Rollouts;

namespace Rampart.Storage.Postgres;

/// <summary>
/// <see cref="IMonitorLease"/> on PostgreSQL: a transaction-level advisory lock per experiment, tried without waiting.
/// The lease holds a connection with an open transaction until it is disposed; if its server dies, PostgreSQL ends the
/// session and the lock goes with it, so another server's monitor takes over at its next check.
/// </summary>
public sealed class PostgresMonitorLease : IMonitorLease
{
    private readonly PostgresDatabase database;

    /// <summary>Leases on <paramref name="database"/>, shared by every server using it.</summary>
    public PostgresMonitorLease(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
    }

    /// <inheritdoc />
    public async Task<IAsyncDisposable?> TryAcquireAsync(string experiment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        NpgsqlTransaction? transaction = null;
        try
        {
            transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.Command(PostgresLocks.TryLockMonitor, transaction).With(experiment);
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
            {
                return new Lease(connection, transaction);
            }
        }
        catch
        {
            await Release(connection, transaction).ConfigureAwait(false);
            throw;
        }

        await Release(connection, transaction).ConfigureAwait(false);
        return null;
    }

    private static async Task Release(NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        if (transaction is not null)
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
        }

        await connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Ending the transaction releases the lock; the connection goes back to the pool.</summary>
    private sealed class Lease(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        private int disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                await Release(connection, transaction).ConfigureAwait(false);
            }
        }
    }
}
