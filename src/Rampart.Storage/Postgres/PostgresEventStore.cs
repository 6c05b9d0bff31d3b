using System.Runtime.CompilerServices;
using Npgsql;
using Rampart.Core.Events;

namespace Rampart.Storage.Postgres;

/// <summary>
/// <see cref="IEventStore"/> on PostgreSQL. A batch is one transaction: it takes the events' advisory lock, looks up
/// which of its ids are stored already, and writes the rest with one binary COPY. The lock is held until commit, so
/// appends from every server are serialised: no other append can store an id between the look-up and the COPY (the
/// unique index on <c>id</c> remains as a backstop), and <c>seq</c> order is commit order, which the feed relies on
/// (docs/decisions/0003-postgres-event-order.md).
/// </summary>
public sealed class PostgresEventStore : IEventStore
{
    private readonly PostgresDatabase database;

    /// <summary>A store on <paramref name="database"/>, which other stores may share.</summary>
    public PostgresEventStore(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
    }

    /// <inheritdoc />
    public async Task<AppendResult> AppendAsync(IReadOnlyList<ExperimentEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return new AppendResult(0, 0);
        }

        // Read the batch once, up front: a list that fails part-way fails before anything is sent.
        var ids = new List<string>();
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i].Id is { } id)
            {
                ids.Add(NpgsqlConnectionExtensions.Storable(id));
            }
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);

        // Leaving early (an exception, a cancellation) disposes the transaction uncommitted: the whole batch rolls back.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(PostgresLocks.LockEvents, transaction, cancellationToken).ConfigureAwait(false);
        var seen = await StoredAsync(connection, transaction, ids, cancellationToken).ConfigureAwait(false);
        var accepted = 0;
        await using (var importer = await connection.BeginBinaryImportAsync(PostgresEventRows.Copy, cancellationToken).ConfigureAwait(false))
        {
            for (var i = 0; i < events.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var e = events[i];
                if (e.Id is null || seen.Add(NpgsqlConnectionExtensions.Storable(e.Id)))
                {
                    await PostgresEventRows.WriteAsync(importer, e, cancellationToken).ConfigureAwait(false);
                    accepted++;
                }
            }

            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new AppendResult(accepted, events.Count - accepted);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ExperimentEvent> ReadAsync(string experiment, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command($"SELECT {PostgresEventRows.Columns} FROM events WHERE experiment = $1 ORDER BY seq;").With(experiment);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return PostgresEventRows.Read(reader);
        }
    }

    private static async Task<HashSet<string>> StoredAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<string> ids, CancellationToken cancellationToken)
    {
        var stored = new HashSet<string>(StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return stored;
        }

        await using var command = connection.Command("SELECT id FROM events WHERE id = ANY($1);", transaction).With(ids.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            stored.Add(reader.GetString(0));
        }

        return stored;
    }
}
