using System.Data;
using Npgsql;
using Rampart.Core.Audit;
using Rampart.Core.Rollouts;

namespace Rampart.Storage.Postgres;

/// <summary>
/// <see cref="IExperimentStore"/> on PostgreSQL. A write is one transaction guarded by the stored version (a lost update
/// is refused, not made), and announces the change on the <see cref="ChangeChannel"/> channel at commit, which
/// <see cref="PostgresExperimentChanges"/> on every server listens to. A read parses only the rows that changed since this
/// store last read them, and gives the same (immutable) experiment for the others.
/// </summary>
public sealed class PostgresExperimentStore : IExperimentStore
{
    /// <summary>
    /// The LISTEN/NOTIFY channel experiment changes are announced on; the payload is <c>schema/key</c> (channels are
    /// database-wide; listeners keep their own schema's).
    /// </summary>
    public const string ChangeChannel = "rampart_experiments";

    private readonly PostgresDatabase database;
    private readonly ParsedExperiments<PostgresExperimentRow> parsed = new();

    /// <summary>A store on <paramref name="database"/>, which other stores may share.</summary>
    public PostgresExperimentStore(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
    }

    /// <inheritdoc />
    public async Task CreateAsync(Experiment experiment, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        CheckAudit(experiment, audit);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (!await PostgresExperimentRows.TryInsertAsync(connection, transaction, experiment, cancellationToken).ConfigureAwait(false))
        {
            throw new ExperimentConflictException($"Experiment '{experiment.Key}' already exists.");
        }

        await PostgresExperimentRows.InsertNewAllocationsAsync(connection, transaction, experiment, cancellationToken).ConfigureAwait(false);
        await PostgresAuditRows.InsertAsync(connection, transaction, audit, cancellationToken).ConfigureAwait(false);
        await NotifyAsync(connection, transaction, experiment.Key, cancellationToken).ConfigureAwait(false);
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
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (!await PostgresExperimentRows.TryUpdateAsync(connection, transaction, experiment, cancellationToken).ConfigureAwait(false))
        {
            if (await PostgresExperimentRows.ExistsAsync(connection, transaction, experiment.Key, cancellationToken).ConfigureAwait(false))
            {
                throw new ExperimentConflictException($"Experiment '{experiment.Key}' changed since it was read; try again.");
            }

            throw new ExperimentNotFoundException(experiment.Key);
        }

        await PostgresExperimentRows.InsertNewAllocationsAsync(connection, transaction, experiment, cancellationToken).ConfigureAwait(false);
        await PostgresAuditRows.InsertAsync(connection, transaction, audit, cancellationToken).ConfigureAwait(false);
        await NotifyAsync(connection, transaction, experiment.Key, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuditEntry>> AuditAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await PostgresAuditRows.ReadAsync(connection, key, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How many parsed experiments this store keeps (tests: never more than are stored).</summary>
    internal int ParsedCount => parsed.Count;

    private async Task<ExperimentListResult> ReadAsync(string? key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);

        // Repeatable read: the experiment rows, their allocations and their definitions come from one snapshot.
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        return await PostgresExperimentRows.ReadAsync(connection, transaction, key, parsed, cancellationToken).ConfigureAwait(false);
    }

    // Delivered to listeners when (and only if) the transaction commits.
    private static async Task NotifyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string key, CancellationToken cancellationToken)
    {
        await using var command = connection.Command($"SELECT pg_notify('{ChangeChannel}', current_schema() || '/' || $1);", transaction).With(key);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
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
