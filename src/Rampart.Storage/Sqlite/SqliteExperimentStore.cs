using Rampart.Core.Audit;
using Rampart.Core.Rollouts;

namespace Rampart.Storage.Sqlite;

/// <summary>
/// <see cref="IExperimentStore"/> on a SQLite file. Every write is one <c>BEGIN IMMEDIATE</c> transaction, so writers
/// on the same file (other connections, other processes) are serialised and a lost update is refused, not made. A read
/// parses only the rows that changed since this store last read them, and gives the same (immutable) experiment for the others.
/// </summary>
public sealed class SqliteExperimentStore : IExperimentStore
{
    private readonly SqliteDatabase database;
    private readonly ParsedExperiments<ExperimentRow> parsed = new();

    /// <summary>A store on the SQLite file at <paramref name="path"/>, created on first use.</summary>
    public SqliteExperimentStore(string path)
        : this(new SqliteDatabase(path))
    {
    }

    /// <summary>A store on <paramref name="database"/>, which other stores may share.</summary>
    public SqliteExperimentStore(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
    }

    /// <inheritdoc />
    public async Task CreateAsync(Experiment experiment, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        CheckAudit(experiment, audit);
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var transaction = connection.BeginTransaction(deferred: false);
        if (!await ExperimentRows.TryInsertAsync(connection, transaction, experiment, cancellationToken).ConfigureAwait(false))
        {
            throw new ExperimentConflictException($"Experiment '{experiment.Key}' already exists.");
        }

        await AllocationRows.InsertNewAsync(connection, transaction, experiment, cancellationToken).ConfigureAwait(false);
        await AuditRows.InsertAsync(connection, transaction, audit, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<Experiment?> FindAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return UnreadableRows.Single(await ReadAsync(key, cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public Task<ExperimentListResult> ListAsync(CancellationToken cancellationToken = default) => ReadAsync(null, cancellationToken);

    /// <inheritdoc />
    public async Task UpdateAsync(Experiment experiment, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        CheckAudit(experiment, audit);
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var transaction = connection.BeginTransaction(deferred: false);
        if (!await ExperimentRows.TryUpdateAsync(connection, transaction, experiment, cancellationToken).ConfigureAwait(false))
        {
            if (await ExperimentRows.ExistsAsync(connection, transaction, experiment.Key, cancellationToken).ConfigureAwait(false))
            {
                throw new ExperimentConflictException($"Experiment '{experiment.Key}' changed since it was read; try again.");
            }

            throw new ExperimentNotFoundException(experiment.Key);
        }

        await AllocationRows.InsertNewAsync(connection, transaction, experiment, cancellationToken).ConfigureAwait(false);
        await AuditRows.InsertAsync(connection, transaction, audit, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuditEntry>> AuditAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await AuditRows.ReadAsync(connection, key, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How many parsed experiments this store keeps (tests: never more than are stored).</summary>
    internal int ParsedCount => parsed.Count;

    private async Task<ExperimentListResult> ReadAsync(string? key, CancellationToken cancellationToken)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);

        // A deferred (read) transaction: the experiment rows, their allocations and their definitions come from one snapshot.
        using var transaction = connection.BeginTransaction(deferred: true);
        return await ExperimentRows.ReadAsync(connection, transaction, key, parsed, cancellationToken).ConfigureAwait(false);
    }

    private static void CheckAudit(Experiment experiment, AuditEntry audit)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(audit);
        if (audit.Experiment != experiment.Key)
        {
            throw new ArgumentException($"The audit entry is for '{audit.Experiment}', not for '{experiment.Key}'.", nameof(audit));
        }
    }
}
